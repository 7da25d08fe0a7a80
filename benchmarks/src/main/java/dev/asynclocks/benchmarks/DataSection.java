package dev.asynclocks.benchmarks;

/**
 * The shared state a tiny "data" critical section touches: one counter, incremented under the lock
 * under test and checked after each run, so a lock that lets two holders in shows up as a failure.
 *
 * {@snippet :
 * DataSection data = new DataSection();
 * try (Guard guard = mutex.lock()) {
 *     data.increment();
 * }
 * data.expect(1);
 * }
 */
final class DataSection {

    /** Written only by the current holder of the lock under test; read after the run. */
    private long value;

    /** The critical section: one increment. */
    void increment() {
        value++;
    }

    /** @return the count so far */
    long value() {
        return value;
    }

    /** Fails the benchmark when the lock under test lost increments; then starts counting afresh. */
    void expect(long expected) {
        if (value != expected) {
            throw new IllegalStateException("lock lost updates: expected " + expected + ", counted " + value);
        }
        value = 0;
    }
}
