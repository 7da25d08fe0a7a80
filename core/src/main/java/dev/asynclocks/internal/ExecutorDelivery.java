package dev.asynclocks.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The task that delivers one granted acquisition on the builder's executor, at most once.
 *
 * <p>An executor may run a task and then throw (it breaks its own contract, but a lock must not
 * let anyone in on that account), or throw and run the task later. The granting thread falls back
 * to delivering itself whenever {@code execute} throws; whoever {@linkplain #claim() claims} the
 * task first delivers, the other does nothing. Delivering twice would release the caller's live
 * hold (the second delivery finds the stage complete and takes it for an abandoned grant).
 *
 * <p>Implementation overview: {@code claimed} goes 0 -> 1 by one CAS, by the executor's run or by
 * the granting thread's fallback; the winner delivers.
 */
final class ExecutorDelivery implements Runnable {

    private static final VarHandle CLAIMED;

    static {
        try {
            CLAIMED = MethodHandles.lookup().findVarHandle(ExecutorDelivery.class, "claimed", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The granted node. Final. */
    private final Acquisition node;

    /** 0, then 1 once claimed: set by one CAS, by the executor's thread or the granting thread. */
    private volatile int claimed;

    ExecutorDelivery(Acquisition node) {
        this.node = node;
    }

    /** @return {@code true} for the one caller that may deliver */
    boolean claim() {
        return CLAIMED.compareAndSet(this, 0, 1);
    }

    @Override
    public void run() {
        if (claim()) {
            // Through the trampoline even here: a direct executor must not recurse either.
            DeliveryTrampoline.deliver(node);
        }
    }
}
