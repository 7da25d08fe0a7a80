package dev.asynclocks.zookeeper;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which znode a waiter waits for, and when that znode's deletion alone grants it (no server needed). */
class NodeKindTest {

    private static String node(NodeKind kind, int seq) {
        return kind.namePrefix("u" + seq) + String.format("%010d", seq);
    }

    private static final String W0 = node(NodeKind.WRITE, 0);
    private static final String R1 = node(NodeKind.READ, 1);
    private static final String R2 = node(NodeKind.READ, 2);
    private static final String W3 = node(NodeKind.WRITE, 3);
    private static final String R4 = node(NodeKind.READ, 4);
    private static final String L5 = node(NodeKind.LOCK, 5);
    private static final List<String> QUEUE = List.of(W0, R1, R2, W3, R4, L5);

    @Test
    void exclusiveKindsWaitForTheirDirectPredecessorAndOnlyTheSecondMayTakeTheGrantFromADeletion() {
        assertNull(NodeKind.WRITE.predecessor(QUEUE, 0));
        assertEquals(W0, NodeKind.READ.predecessor(QUEUE, 1));
        assertEquals(R4, NodeKind.LOCK.predecessor(QUEUE, 5));
        assertFalse(NodeKind.LOCK.onlyBlocker(QUEUE, R4), "four more znodes are ahead");
        assertEquals(R2, NodeKind.WRITE.predecessor(QUEUE, 3));
        assertFalse(NodeKind.WRITE.onlyBlocker(QUEUE, R2));
        List<String> two = List.of(W0, L5);
        assertEquals(W0, NodeKind.LOCK.predecessor(two, 1));
        assertTrue(NodeKind.LOCK.onlyBlocker(two, W0));
    }

    @Test
    void readersWaitForTheLastExclusiveAheadAndTakeTheGrantIfItWasTheOnlyOne() {
        assertEquals(W0, NodeKind.READ.predecessor(QUEUE, 2));
        assertTrue(NodeKind.READ.onlyBlocker(QUEUE, W0), "only readers remain ahead once W0 goes");
        assertEquals(W3, NodeKind.READ.predecessor(QUEUE, 4));
        assertFalse(NodeKind.READ.onlyBlocker(QUEUE, W3), "W0 is still ahead");
        assertTrue(NodeKind.READ.onlyBlocker(List.of(R1, W3, R4), W3));
        assertNull(NodeKind.READ.predecessor(List.of(R1, R2, R4), 2));
    }

    @Test
    void namesAreParsedByKindAndOrderedBySequence() {
        assertEquals(NodeKind.READ, NodeKind.of(R1));
        assertEquals(NodeKind.LOCK, NodeKind.of(L5));
        assertNull(NodeKind.of("lock-0000000001"));
        assertTrue(NodeKind.compareBySequence(W3, R1) > 0);
    }
}
