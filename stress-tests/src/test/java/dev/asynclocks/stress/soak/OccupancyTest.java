package dev.asynclocks.stress.soak;

import org.junit.jupiter.api.Test;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The soak's invariant checker reports what it exists to catch. */
class OccupancyTest {

    @Test
    void flagsMorePermitsOutThanExist() {
        Queue<String> violations = new ConcurrentLinkedQueue<>();
        Occupancy rwLock = new Occupancy("rwlock", 2, violations);
        rwLock.enter(1);
        rwLock.enter(1);
        assertTrue(violations.isEmpty(), violations::toString);
        rwLock.enter(2); // a writer beside two readers
        assertEquals(1, violations.size(), violations::toString);
        assertTrue(violations.peek().contains("4 permits out of 2"), violations::toString);
    }

    @Test
    void flagsAnExitWithoutAnEntry() {
        Queue<String> violations = new ConcurrentLinkedQueue<>();
        Occupancy mutex = new Occupancy("mutex", 1, violations);
        mutex.exit(1);
        assertEquals(1, violations.size(), violations::toString);
        assertEquals(1, mutex.exits());
        assertEquals(0, mutex.grants());
    }
}
