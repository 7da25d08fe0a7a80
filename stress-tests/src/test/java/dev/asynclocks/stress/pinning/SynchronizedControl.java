package dev.asynclocks.stress.pinning;

/**
 * A class that does everything {@link NoMonitorsInCoreTest} forbids in core, so that the test
 * can show its scanner finds each construct. Never called.
 */
final class SynchronizedControl {

    private final Object monitor = new Object();
    private int value;

    synchronized void synchronizedMethod() {
        value++;
    }

    void synchronizedBlock() {
        synchronized (monitor) {
            value++;
        }
    }

    void waits() throws InterruptedException {
        synchronized (monitor) {
            monitor.wait(1);
        }
    }

    void sleeps() throws InterruptedException {
        Thread.sleep(1);
    }

    int switches(int k) {
        // a tableswitch and a lookupswitch between the constructs, to exercise instruction lengths
        int dense = switch (k) { case 0 -> 10; case 1 -> 11; case 2 -> 12; case 3 -> 13; default -> 0; };
        int sparse = switch (k) { case 1 -> 1; case 1000 -> 2; case 100000 -> 3; default -> 4; };
        return dense + sparse + value;
    }
}
