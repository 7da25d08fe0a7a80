package dev.asynclocks.benchmarks;

import com.google.common.util.concurrent.ExecutionSequencer;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.SettableFuture;

import java.util.concurrent.Callable;

/**
 * {@link AsyncChain} on Guava's {@link ExecutionSequencer}, which has no lock to take: it runs the
 * tasks submitted to it one at a time, in submission order (the {@code withLock} shape). Each
 * round submits the section and continues when its future completes; everything runs on the
 * direct executor, which the sequencer trampolines.
 *
 * {@snippet :
 * GuavaSequencerChain.run(ExecutionSequencer.create(), 1_000, 1_000, new DataSection());
 * }
 */
final class GuavaSequencerChain extends AsyncChain implements Runnable {

    private final ExecutionSequencer sequencer;
    /** The section as a task, made once per chain task. */
    private final Callable<Void> sectionTask = () -> {
        section();
        return null;
    };

    private GuavaSequencerChain(Run run, ExecutionSequencer sequencer) {
        super(run);
        this.sequencer = sequencer;
    }

    static void run(ExecutionSequencer sequencer, int tasks, int rounds, DataSection data)
            throws InterruptedException {
        SettableFuture<Void> gate = SettableFuture.create();
        ListenableFuture<Void> held = sequencer.submitAsync(() -> gate, MoreExecutors.directExecutor());
        AsyncChain.run(tasks, rounds, data, () -> gate.set(null), run -> new GuavaSequencerChain(run, sequencer));
        Futures.getUnchecked(held);
    }

    @Override
    boolean sectionNowOrLater() {
        ListenableFuture<Void> turn = sequencer.submit(sectionTask, MoreExecutors.directExecutor());
        if (!turn.isDone()) {
            turn.addListener(this, MoreExecutors.directExecutor());
            return false;
        }
        return true;
    }

    /** The section has run: on to the next round. */
    @Override
    public void run() {
        next();
    }
}
