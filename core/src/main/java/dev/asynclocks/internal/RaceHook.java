package dev.asynclocks.internal;

/**
 * A test's way into the engine's race windows: called at the {@link RacePoint}s, where another
 * thread could run between two steps of the engine, so that a test can make it run there, every
 * time, instead of hoping a race lands in the window. Production engines have none
 * ({@code null}: one branch on a final field).
 *
 * <p>A hook runs on the engine's thread, at some points under the engine's queue lock (each
 * point says): there it may wake or poll other threads and wait for them with a bound, but must
 * not wait for anything that needs the same lock's queue.
 */
@FunctionalInterface
interface RaceHook {

    /** The engine's thread is at {@code point}. */
    void at(RacePoint point);
}
