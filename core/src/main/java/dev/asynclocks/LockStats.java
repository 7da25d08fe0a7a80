package dev.asynclocks;

import java.time.Duration;

/**
 * A snapshot of one lock's counters since it was created. Always on: the counters cost nothing on
 * the uncontended path (they ride in the CAS the lock makes anyway) and a few plain writes under
 * the queue's lock on the contended path.
 *
 * <p>The counts are exact. The wait times are sampled, because reading the clock costs about as
 * much as a whole hand-off: the first queue wait and then one in 16 are timed, so
 * {@code totalWaitTime} is an estimate and {@code maxWaitTime} the longest wait among the samples.
 * While a {@link LockObserver} is bound to the lock, or the JFR event
 * {@code dev.asynclocks.ContendedAcquisition} is enabled, every wait is timed and both are exact
 * (for the waits that began after that).
 *
 * {@snippet :
 * LockStats stats = mutex.stats();
 * double contention = (double) stats.contendedAcquisitions() / stats.acquisitions();
 * log.info("routes lock: {}% contended, max wait {}", 100 * contention, stats.maxWaitTime());
 * }
 *
 * @param acquisitions          holds granted, by any method (including successful tries)
 * @param contendedAcquisitions holds granted after waiting in the queue
 * @param cancellations         queued acquisitions withdrawn by cancel, abandonment, interrupt or close
 * @param timeouts              queued acquisitions withdrawn because their timeout elapsed
 * @param rejections            acquisitions refused because the queue was full ({@code maxWaiters})
 *                              or the lock was closed (a try or a zero timeout is never counted)
 * @param queueLength           acquisitions waiting now
 * @param peakQueueLength       the most acquisitions that ever waited at once
 * @param totalWaitTime         the sum of the queue waits of the contended acquisitions: an estimate,
 *                              the mean of the sampled waits times {@code contendedAcquisitions}
 *                              (see below)
 * @param maxWaitTime           the longest sampled queue wait
 */
public record LockStats(long acquisitions, long contendedAcquisitions, long cancellations, long timeouts,
                        long rejections, int queueLength, int peakQueueLength, Duration totalWaitTime,
                        Duration maxWaitTime) {
}
