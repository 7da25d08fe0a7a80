package dev.asynclocks.examples;

import dev.asynclocks.AsyncMutex;
import dev.asynclocks.Guard;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/**
 * The smallest runnable tour: a counter guarded by an {@link AsyncMutex}, incremented from 10,000
 * virtual threads with {@code lock()} and from 10,000 async continuations with {@code withLock}.
 */
public final class QuickStart {

    private static long counter;

    public static void main(String[] args) throws Exception {
        AsyncMutex mutex = AsyncMutex.builder().name("counter").build();

        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 10_000; i++) {
                executor.submit(() -> {
                    try (Guard guard = mutex.lock()) {
                        counter++;
                    }
                    return null;
                });
            }
        }
        System.out.println("after 10,000 virtual threads: counter = " + counter);

        List<CompletableFuture<Long>> results = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            results.add(mutex.withLock(() -> CompletableFuture.completedFuture(++counter)).toCompletableFuture());
        }
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).join();
        System.out.println("after 10,000 async sections:  counter = " + counter + ", " + mutex);
    }

    private QuickStart() {
    }
}
