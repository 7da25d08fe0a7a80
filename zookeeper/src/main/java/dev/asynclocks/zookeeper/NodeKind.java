package dev.asynclocks.zookeeper;

import java.util.List;

/**
 * What a waiter znode asks for, and the waiter-znode naming shared by every kind.
 *
 * <p>A waiter znode is named {@code _c_<uuid>-<kind>-<sequence>}: the {@code _c_<uuid>-} prefix is
 * unique per acquisition, so that a client that lost its connection in the middle of the create
 * can find out whether its znode exists; the 10-digit sequence is appended by ZooKeeper and orders
 * the queue.
 */
enum NodeKind {
    /** A mutex: waits for every znode before it. */
    LOCK("lock", true),
    /** A reader: waits only for exclusive znodes before it. */
    READ("read", false),
    /** A writer: waits for every znode before it. */
    WRITE("write", true);

    static final String PROTECTED_PREFIX = "_c_";
    private static final int SEQUENCE_DIGITS = 10;

    final String label;
    final boolean exclusive;

    NodeKind(String label, boolean exclusive) {
        this.label = label;
        this.exclusive = exclusive;
    }

    /** The name given to {@code create}: ZooKeeper appends the sequence. */
    String namePrefix(String uniqueId) {
        return PROTECTED_PREFIX + uniqueId + "-" + label + "-";
    }

    /** @return the kind of a waiter znode's name, or {@code null} if the name is not a waiter's */
    static NodeKind of(String name) {
        if (!name.startsWith(PROTECTED_PREFIX) || name.length() < SEQUENCE_DIGITS + 2) {
            return null;
        }
        String head = name.substring(0, name.length() - SEQUENCE_DIGITS - 1);
        for (NodeKind kind : values()) {
            if (head.endsWith("-" + kind.label)) {
                return kind;
            }
        }
        return null;
    }

    /** Orders waiter znode names by their sequence suffix. */
    static int compareBySequence(String a, String b) {
        return a.substring(a.length() - SEQUENCE_DIGITS).compareTo(b.substring(b.length() - SEQUENCE_DIGITS));
    }

    /**
     * The znode that {@code me} must wait for in {@code queue} (waiter names sorted by sequence), or
     * {@code null} when it may hold the lock now. Exclusive kinds wait for their direct predecessor;
     * a reader waits for the last exclusive znode before it.
     */
    String predecessor(List<String> queue, int me) {
        return lastBlockerBefore(queue, me);
    }

    /**
     * Whether {@code predecessor} (as returned by {@link #predecessor}) is the only znode in
     * {@code queue} that its waiter waits for. Then its deletion alone grants the waiter: znodes
     * created later get larger sequence numbers, so nothing can queue ahead of the waiter again.
     */
    boolean onlyBlocker(List<String> queue, String predecessor) {
        int p = queue.indexOf(predecessor);
        return p >= 0 && lastBlockerBefore(queue, p) == null;
    }

    /** The last znode before index {@code end} that this kind waits for, or null. */
    private String lastBlockerBefore(List<String> queue, int end) {
        if (exclusive) {
            return end == 0 ? null : queue.get(end - 1);
        }
        for (int i = end - 1; i >= 0; i--) {
            NodeKind other = of(queue.get(i));
            if (other != null && other.exclusive) {
                return queue.get(i);
            }
        }
        return null;
    }
}
