/**
 * Micrometer meters for asynclocks locks: {@link dev.asynclocks.micrometer.LockMetrics} binds a
 * lock's queue length, permits, counters and wait- and hold-time histograms to a
 * {@link io.micrometer.core.instrument.MeterRegistry}.
 */
package dev.asynclocks.micrometer;
