package dev.asynclocks.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The engine's FIFO of queued acquisitions: a doubly linked list of {@link Acquisition} nodes
 * through their {@code prev}/{@code next} links, oldest at the head.
 *
 * <p>Implementation overview: every method except {@link #lengthNow()} must be called under the
 * engine's {@code queueLock}, which guards the links, {@code head}, {@code tail} and
 * {@code length}. A node is queued exactly while it is linked: it is the head, or its
 * {@code prev} is set ({@link #contains}). {@link #unlink} clears both links, so grant and
 * withdraw, which both unlink under the lock, can each tell whether the other came first.
 * {@code length} is written with opaque stores, so monitoring reads it without the lock
 * ({@link #lengthNow()}: an estimate, never a decision).
 */
final class WaitQueue {

    private static final VarHandle LENGTH;

    static {
        try {
            LENGTH = MethodHandles.lookup().findVarHandle(WaitQueue.class, "length", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Acquisition head;
    private Acquisition tail;
    private int length;

    /** @return the oldest queued node, or {@code null} */
    Acquisition head() {
        return head;
    }

    /** @return whether nothing is queued */
    boolean isEmpty() {
        return head == null;
    }

    /** @return the number of queued nodes */
    int length() {
        return length;
    }

    /** @return the number of queued nodes as last written; any thread, without the lock */
    int lengthNow() {
        return (int) LENGTH.getOpaque(this);
    }

    /** @return whether {@code node} is queued (not yet granted or withdrawn) */
    boolean contains(Acquisition node) {
        return node == head || node.prev != null;
    }

    /**
     * Appends a node that is not queued.
     *
     * @return the new length
     */
    int append(Acquisition node) {
        node.prev = tail;
        if (tail == null) {
            head = node;
        } else {
            tail.next = node;
        }
        tail = node;
        int newLength = length + 1;
        LENGTH.setOpaque(this, newLength);
        return newLength;
    }

    /**
     * Puts a node that is not queued at the head, ahead of every other (an upgrade, which all of
     * them would wait for anyway).
     *
     * @return the new length
     */
    int pushFront(Acquisition node) {
        node.next = head;
        if (head == null) {
            tail = node;
        } else {
            head.prev = node;
        }
        head = node;
        int newLength = length + 1;
        LENGTH.setOpaque(this, newLength);
        return newLength;
    }

    /** Unlinks a queued node and clears its links. */
    void unlink(Acquisition node) {
        Acquisition prev = node.prev;
        Acquisition next = node.next;
        if (prev == null) {
            head = next;
        } else {
            prev.next = next;
        }
        if (next == null) {
            tail = prev;
        } else {
            next.prev = prev;
        }
        node.prev = null;
        node.next = null;
        LENGTH.setOpaque(this, length - 1);
    }
}
