package dev.asynclocks.stress.lincheck;

import dev.asynclocks.AsyncLock;
import dev.asynclocks.Guard;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A small async mutex with one deliberate flaw, for showing that the Lincheck harness catches
 * real fairness bugs rather than passing everything. Apart from its flaw it is a correct
 * (if slow) lock: one {@link ReentrantLock} guards all state, and cancellation is exact.
 *
 * {@snippet :
 * AsyncLock lifo = new BrokenMutex(BrokenMutex.Flaw.LIFO_HAND_OFF);
 * }
 */
final class BrokenMutex implements AsyncLock {

    /** What is wrong with it. */
    enum Flaw {
        /** A release hands the lock to the newest waiter instead of the oldest. */
        LIFO_HAND_OFF,
        /**
         * A release frees the lock, then grants the head in a second step; a {@code tryAcquire}
         * in between takes the lock past the waiting head.
         */
        BARGING_TRY
    }

    private final Flaw flaw;
    private final ReentrantLock state = new ReentrantLock();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private boolean held;

    BrokenMutex(Flaw flaw) {
        this.flaw = flaw;
    }

    private final class Waiter extends CompletableFuture<Guard> {
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            state.lock();
            try {
                return waiters.remove(this) && super.cancel(mayInterruptIfRunning);
            } finally {
                state.unlock();
            }
        }
    }

    private final class Hold implements Guard {
        private final AtomicBoolean released = new AtomicBoolean();

        @Override
        public void release() {
            if (released.compareAndSet(false, true)) {
                unlock();
            }
        }

        @Override
        public boolean isReleased() {
            return released.get();
        }
    }

    @Override
    public Optional<Guard> tryAcquire() {
        state.lock();
        try {
            boolean free = flaw == Flaw.BARGING_TRY ? !held : !held && waiters.isEmpty();
            if (free) {
                held = true;
                return Optional.of(new Hold());
            }
            return Optional.empty();
        } finally {
            state.unlock();
        }
    }

    @Override
    public CompletionStage<Guard> acquire() {
        state.lock();
        try {
            if (!held && waiters.isEmpty()) {
                held = true;
                return CompletableFuture.completedFuture(new Hold());
            }
            Waiter waiter = new Waiter();
            waiters.addLast(waiter);
            return waiter;
        } finally {
            state.unlock();
        }
    }

    @Override
    public CompletionStage<Guard> acquire(Duration timeout) {
        if (!timeout.isZero()) {
            throw new UnsupportedOperationException("test double: zero timeout only");
        }
        return tryAcquire().<CompletionStage<Guard>>map(CompletableFuture::completedFuture)
                .orElseGet(() -> CompletableFuture.failedFuture(new TimeoutException()));
    }

    @Override
    public Guard lock() {
        throw new UnsupportedOperationException("test double");
    }

    @Override
    public Guard lock(Duration timeout) {
        throw new UnsupportedOperationException("test double");
    }

    @Override
    public <T> CompletionStage<T> withLock(Supplier<? extends CompletionStage<T>> action) {
        return acquire().thenCompose(guard -> action.get().whenComplete((value, failure) -> guard.release()));
    }

    boolean isLocked() {
        state.lock();
        try {
            return held || !waiters.isEmpty();
        } finally {
            state.unlock();
        }
    }

    int queueLength() {
        state.lock();
        try {
            return waiters.size();
        } finally {
            state.unlock();
        }
    }

    private void unlock() {
        if (flaw == Flaw.BARGING_TRY) {
            state.lock();
            try {
                held = false;
            } finally {
                state.unlock();
            }
        }
        Waiter next;
        state.lock();
        try {
            if (flaw == Flaw.BARGING_TRY && held) {
                return; // a tryAcquire barged in: the waiters keep waiting
            }
            next = flaw == Flaw.LIFO_HAND_OFF ? waiters.pollLast() : waiters.pollFirst();
            held = next != null;
            if (next != null) {
                next.complete(new Hold()); // test double: completes under its lock
            }
        } finally {
            state.unlock();
        }
    }
}
