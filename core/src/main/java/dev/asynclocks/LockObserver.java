package dev.asynclocks;

/**
 * Receives a lock's wait times and hold times, in nanoseconds, as they happen: the hook behind
 * metrics libraries (the {@code asynclocks-micrometer} module's {@code LockMetrics} is one). Bind
 * it to a lock after construction with {@code bind(observer, holdSampleEvery)} on
 * {@link AsyncMutex#bind AsyncMutex}, {@link AsyncRwLock#bind AsyncRwLock} or
 * {@link AsyncSemaphore#bind AsyncSemaphore}, and detach it with {@code unbind(observer)}.
 * Counters (acquisitions, contention, cancellations, timeouts, rejections) need no observer: read
 * them from {@code stats()} when you export them.
 *
 * {@snippet :
 * LongAdder holds = new LongAdder();
 * LongAccumulator longestWait = new LongAccumulator(Math::max, 0);
 * LockObserver observer = new LockObserver() {
 *     @Override public void waited(long nanos) { longestWait.accumulate(nanos); }
 *     @Override public void held(long nanos) { holds.increment(); }
 * };
 * AsyncMutex mutex = AsyncMutex.builder().name("routes").build();
 * mutex.bind(observer, 16);      // every wait; one hold in 16 is timed
 * // ...
 * mutex.unbind(observer);        // no more calls for anything that starts after this
 * }
 *
 * <p><b>Binding.</b> A lock has one observer at a time: {@code bind} throws
 * {@link IllegalStateException} while another is bound, {@link NullPointerException} for a null
 * observer and {@link IllegalArgumentException} for a {@code holdSampleEvery} less than 1.
 * {@code unbind} returns {@code true} if the observer given was the one bound (and unbinds it),
 * {@code false} otherwise, changing nothing.
 *
 * <p><b>What is reported.</b> {@link #waited} once for every acquisition that waited in the queue
 * and was granted (acquisitions granted at once do not wait, and are not reported; withdrawn ones
 * are counted in {@code stats()} only). {@link #held} for the sampled holds: one hold in
 * {@code holdSampleEvery}, chosen by the lock's running count of grants, so {@code 1} times every
 * hold. Timing a hold costs two clock reads and a small record per sampled hold, which is why it
 * is sampled; a wait is timed anyway (for {@code stats()}), so every wait is reported.
 *
 * <p><b>Cost when nothing is bound.</b> A lock without an observer reads one field per acquisition
 * and per hand-off, and does nothing else: no clock read, no allocation, no call.
 *
 * <p><b>Threads.</b> Both methods are called on the lock's own threads, outside its internal
 * lock: {@link #waited} by the thread that granted the acquisition (usually the one releasing the
 * previous hold) once the waiter has been woken, {@link #held} by the thread that ends the hold,
 * inside {@link Guard#release()}. They may be called concurrently, from many threads, so an
 * observer must be thread-safe; and they delay those threads, so an observer must be cheap and
 * must not block (record into a histogram, bump an adder).
 *
 * <p><b>Failures.</b> An observer must not throw. If it does, the lock is not affected: the
 * throwable is caught, the observer is unbound from that lock (it gets no more calls from it), and
 * the failure is logged once through the {@link System.Logger} {@code dev.asynclocks} at
 * {@code WARNING}.
 *
 * <p><b>Ordering.</b> None is promised: a sample may arrive after the next holder has started, and
 * samples from different threads arrive in any order. {@code bind} and {@code unbind} take effect
 * at once for the acquisitions and hand-offs that start afterwards; a sample already on its way may
 * still arrive after {@code unbind} returns. Neither method has any memory effect on the lock's
 * holders (the happens-before of the lock itself is unchanged).
 */
public interface LockObserver {

    /**
     * An acquisition that had to queue was granted.
     *
     * @param nanos how long it waited in the queue, from enqueueing until it was woken
     */
    void waited(long nanos);

    /**
     * A sampled hold ended: its guard was released (or, for a write hold, downgraded).
     *
     * @param nanos how long it was held, from the grant until the release
     */
    void held(long nanos);
}
