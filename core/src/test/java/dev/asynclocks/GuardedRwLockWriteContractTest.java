package dev.asynclocks;

/**
 * The {@link UpdatableValue} contract for the write view of {@link GuardedRwLock}; the blocker is
 * the read lock, so the contract checks that writers exclude readers.
 */
class GuardedRwLockWriteContractTest extends AbstractUpdatableValueContractTest {

    @Override
    protected Subject newSubject() {
        AsyncRwLock rw = new AsyncRwLock();
        return new Subject(new GuardedRwLock<>(rw, initial()).write(), rw.readLock(), rw::queueLength);
    }
}
