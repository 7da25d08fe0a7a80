package dev.asynclocks.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * A queued acquisition made by a thread that parks until it is granted ({@code lock()}). It is
 * only the queue node: the parked thread sees its grant through {@link #isGranted()} (a volatile
 * read that carries the releaser's writes over) and returns a guard of its own, so this stage is
 * never completed and never reaches a caller. 56 bytes with compressed pointers.
 */
final class ParkedAcquisition extends Acquisition {

    /** The parked acquirer. Final. */
    private final Thread thread;

    ParkedAcquisition(HandOffSemaphore owner, int permits, Thread thread) {
        super(owner, permits);
        this.thread = thread;
    }

    @Override
    void wake(DeliveryTrampoline loop) {
        LockSupport.unpark(thread);
    }

    /** The parked thread finds out by itself ({@link #isClosedOut()}) and throws. */
    @Override
    void closedOut() {
        LockSupport.unpark(thread);
    }

    /** @return whether {@code close} withdrew this node (a parked node's own hold never ends) */
    boolean isClosedOut() {
        return heldPermits() == 0;
    }
}
