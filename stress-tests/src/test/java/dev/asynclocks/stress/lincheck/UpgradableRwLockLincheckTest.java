package dev.asynclocks.stress.lincheck;

import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.junit.jupiter.api.BeforeAll;

import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Upgradable reads of {@code AsyncRwLock} against {@link SequentialUpgradableRwLock}, in
 * model-checking and stress mode, with {@code maxReaders} 3 (the pom's {@code max-readers-3}
 * surefire execution; skipped in the others).
 */
class UpgradableRwLockLincheckTest extends LincheckSuite {

    @BeforeAll
    static void onlyWithThreeMaxReaders() {
        assumeTrue(UpgradableRwLockOperations.MAX_READERS == 3,
                "needs -Ddev.asynclocks.maxReaders=3 (the max-readers-3 surefire execution)");
    }

    /**
     * Thread 1 holds the upgradable read, thread 2 a plain read, thread 3 waits to write. Thread 1
     * upgrades while thread 2 releases and thread 3 cancels: the upgrade is granted once the reader
     * is gone, never the writer first (no writer between the check and the write).
     */
    static ExecutionScenario upgradeRacesWithTheReadersRelease() {
        return new CustomScenario(UpgradableRwLockOperations.class)
                .init("tryUpgradable", 1).init("tryRead", 2).init("write", 3)
                .thread(1, "upgrade", 1).thread(1, "isWriteLocked")
                .thread(2, "release", 2)
                .thread(3, "cancel", 3)
                .post("release", 1).post("release", 1).post("readers")
                .build();
    }

    /**
     * Thread 1 upgrades and cancels the upgrade while thread 2's reader leaves: either the grant or
     * the cancel wins; a withdrawn upgrade leaves the upgradable read held (released afterwards),
     * and the writer of thread 3 comes in only after all of it.
     */
    static ExecutionScenario cancelOfAnUpgradeRacesWithItsGrant() {
        return new CustomScenario(UpgradableRwLockOperations.class)
                .init("upgradable", 1).init("tryRead", 2)
                .thread(1, "upgrade", 1).thread(1, "cancel", 1)
                .thread(2, "release", 2)
                .thread(3, "write", 3)
                .post("release", 1).post("release", 1).post("isWriteLocked").post("readers")
                .build();
    }

    UpgradableRwLockLincheckTest() {
        super(UpgradableRwLockOperations.class, SequentialUpgradableRwLock.class,
                List.of(upgradeRacesWithTheReadersRelease(), cancelOfAnUpgradeRacesWithItsGrant()));
    }
}
