package dev.asynclocks;

/**
 * The {@link GuardedValue} contract for the read view of {@link GuardedRwLock}: its sections
 * share the read lock, so the exclusion the contract checks is against the write lock.
 */
class GuardedRwLockReadContractTest extends AbstractGuardedValueContractTest {

    @Override
    protected Subject newSubject() {
        AsyncRwLock rw = new AsyncRwLock();
        return new Subject(new GuardedRwLock<>(rw, initial()).read(), rw.writeLock(), rw::queueLength);
    }
}
