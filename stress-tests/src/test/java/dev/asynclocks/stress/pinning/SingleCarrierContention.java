package dev.asynclocks.stress.pinning;

/**
 * The program {@link SingleCarrierLivenessTest} runs in a JVM whose virtual-thread scheduler has
 * one carrier thread: prints one line per phase and exits 0, or prints the failure and exits 1.
 * If any library path blocked the carrier while waiting, no holder could run again and this
 * program would never finish.
 *
 * {@snippet :
 * // java -Djdk.virtualThreadScheduler.parallelism=1 -Djdk.virtualThreadScheduler.maxPoolSize=1 \
 * //      -cp <test class path> dev.asynclocks.stress.pinning.SingleCarrierContention 10000
 * }
 */
public final class SingleCarrierContention {

    private SingleCarrierContention() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("spin-control")) {
            spinControl();
            return;
        }
        int threads = Integer.parseInt(args[0]);
        try {
            for (String line : Contention.run(threads)) {
                System.out.println(line);
            }
        } catch (Throwable failure) {
            failure.printStackTrace(System.out);
            System.exit(1);
        }
        System.exit(0);
    }

    /**
     * The control: a lock whose waiters busy-spin. The holder parks inside its section; the
     * waiter spins on the only carrier and never lets it go, so the holder never runs again and
     * this never prints "finished". The test expects exactly that.
     */
    private static void spinControl() throws InterruptedException {
        java.util.concurrent.atomic.AtomicBoolean spinLock = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable section = () -> {
            while (!spinLock.compareAndSet(false, true)) {
                Thread.onSpinWait();
            }
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
            spinLock.set(false);
        };
        Thread first = Thread.ofVirtual().start(section);
        Thread second = Thread.ofVirtual().start(section);
        first.join();
        second.join();
        System.out.println("finished");
        System.exit(0);
    }
}
