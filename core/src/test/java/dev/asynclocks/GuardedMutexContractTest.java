package dev.asynclocks;

/** The {@link UpdatableValue} contract for {@link GuardedMutex}; its mutex is the blocker. */
class GuardedMutexContractTest extends AbstractUpdatableValueContractTest {

    @Override
    protected Subject newSubject() {
        AsyncMutex mutex = new AsyncMutex();
        return new Subject(new GuardedMutex<>(mutex, initial()), mutex, mutex::queueLength);
    }
}
