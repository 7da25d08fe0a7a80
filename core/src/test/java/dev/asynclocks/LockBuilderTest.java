package dev.asynclocks;

import org.junit.jupiter.api.Test;

import java.util.concurrent.RejectedExecutionException;

import static dev.asynclocks.StageAssertions.assertFailedWith;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The options of {@link LockBuilder}, set once through its generic type, reach every kind of lock. */
class LockBuilderTest {

    /** What a user's helper for "any lock's builder" looks like: the setters return {@code B}. */
    static <B extends LockBuilder<B>> B configured(B builder, String name) {
        return builder.name(name).maxWaiters(0);
    }

    @Test
    void oneGenericHelperConfiguresEveryBuilder() {
        AsyncMutex mutex = configured(AsyncMutex.builder(), "m").build();
        AsyncRwLock rw = configured(AsyncRwLock.builder(), "rw").build();
        AsyncSemaphore semaphore = configured(AsyncSemaphore.builder(2), "s").build();
        assertTrue(mutex.toString().contains("'m'"), mutex.toString());
        assertTrue(rw.toString().contains("'rw'"), rw.toString());
        assertTrue(semaphore.toString().contains("'s'"), semaphore.toString());

        assertNoWaiterAdmitted(mutex);
        assertNoWaiterAdmitted(rw.writeLock());
        assertNoWaiterAdmitted(semaphore.asLock(2));
    }

    /** With maxWaiters(0) the lock is granted while free, and a second acquisition is rejected. */
    private static void assertNoWaiterAdmitted(AsyncLock lock) {
        Guard held = StageAssertions.assertGranted(lock.acquire());
        assertFailedWith(RejectedExecutionException.class, lock.acquire());
        assertThrows(RejectedExecutionException.class, lock::lock);
        held.release();
        lock.tryAcquire().orElseThrow().release();
    }

    @Test
    void aNegativeMaxWaitersIsRejectedByEveryBuilder() {
        assertThrows(IllegalArgumentException.class, () -> AsyncMutex.builder().maxWaiters(-1));
        assertThrows(IllegalArgumentException.class, () -> AsyncRwLock.builder().maxWaiters(-1));
        assertThrows(IllegalArgumentException.class, () -> AsyncSemaphore.builder(1).maxWaiters(-1));
    }
}
