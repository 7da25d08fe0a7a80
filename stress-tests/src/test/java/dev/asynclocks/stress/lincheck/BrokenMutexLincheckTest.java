package dev.asynclocks.stress.lincheck;

import org.jetbrains.lincheck.LincheckAssertionError;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Shows that the Lincheck harness can fail: the same operations and specification as
 * {@link MutexLincheckTest}, run against {@link BrokenMutex}, must be rejected.
 */
class BrokenMutexLincheckTest {

    /** The mutex operations on a mutex that hands off to the newest waiter. */
    public static class LifoMutexOperations extends MutexOperations {
        public LifoMutexOperations() {
            this(new BrokenMutex(BrokenMutex.Flaw.LIFO_HAND_OFF));
        }

        private LifoMutexOperations(BrokenMutex mutex) {
            super(mutex, mutex::queueLength, mutex::isLocked);
        }
    }

    /** The mutex operations on a mutex whose tryAcquire can take the lock past a waiter. */
    public static class BargingMutexOperations extends MutexOperations {
        public BargingMutexOperations() {
            this(new BrokenMutex(BrokenMutex.Flaw.BARGING_TRY));
        }

        private BargingMutexOperations(BrokenMutex mutex) {
            super(mutex, mutex::queueLength, mutex::isLocked);
        }
    }

    /** The hand-off scenario alone: LIFO gives the lock to thread 3's ticket, not thread 2's. */
    @Test
    void lifoHandOffIsCaughtByStress() {
        report(assertThrows(LincheckAssertionError.class, () -> LincheckSuite.stressOptions(SequentialMutex.class)
                .iterations(0)
                .addCustomScenario(MutexLincheckTest.handOffToOldest(LifoMutexOperations.class))
                .check(LifoMutexOperations.class)));
    }

    /** The model checker finds the interleaving in which tryAcquire slips into the release. */
    @Test
    void bargingTryIsCaughtByModelChecking() {
        report(assertThrows(LincheckAssertionError.class, () -> LincheckSuite.modelCheckingOptions(SequentialMutex.class)
                .iterations(0)
                .addCustomScenario(MutexLincheckTest.tryDuringHandOff(BargingMutexOperations.class))
                .check(BargingMutexOperations.class)));
    }

    /** Prints the scenario Lincheck rejected (its first lines), so the log shows what was caught. */
    private static void report(LincheckAssertionError caught) {
        String message = String.valueOf(caught.getMessage());
        int cut = message.indexOf("\n\n", message.indexOf("= Invalid") + 1);
        System.out.println("Lincheck rejected the broken mutex, as it must:\n"
                + (cut > 0 ? message.substring(0, cut) : message));
    }
}
