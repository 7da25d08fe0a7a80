package dev.asynclocks.zookeeper;

import dev.asynclocks.Guard;

import java.util.concurrent.CompletionStage;

/**
 * A {@link Guard} of a distributed lock, with what a holder needs to stay safe when it may no longer
 * hold the lock without knowing it: a fencing token and a loss signal.
 *
 * <p><b>Fencing token.</b> {@link #fencingToken()} strictly increases with every grant of the lock,
 * across every client of the ensemble, and is never reused, not even after the lock's znode is
 * deleted and created again (it is the creation zxid of the holder's waiter znode). Pass it with
 * every write to the protected resource, and let the resource reject a token lower than the highest
 * it has seen: a holder that was paused (GC, SIGSTOP, a slow disk) past its session timeout and
 * lost the lock to another client then cannot overwrite the newer holder's work.
 * docs/distributed.md shows how. Readers of one client that share a read znode share its token
 * ({@link ZkRwLock}): for reads the token orders the hold against writes only.
 *
 * <p><b>Loss signal.</b> {@link #lost()} completes when the hold may have ended without
 * {@link #release()}: the session expired, the client could not reach the ensemble for longer than
 * the session timeout, or the client was closed. After that, another client may hold the lock.
 * The signal comes late by nature (a paused process notices nothing while it is paused), which is
 * why the token, not the signal, is what keeps the resource safe.
 *
 * {@snippet :
 * try (FencedGuard guard = lock.lock()) {
 *     guard.lost().thenRun(() -> log.warn("lost the lock, stopping"));
 *     storage.write(key, value, guard.fencingToken());   // storage rejects stale tokens
 * }
 * }
 *
 * <p>{@link #release()} deletes the holder's znode asynchronously; it never blocks and never
 * throws. Releasing after the hold was lost does nothing harmful.
 */
public interface FencedGuard extends Guard {

    /**
     * The fencing token of this hold: larger than the token of every earlier grant of the same lock
     * (readers sharing one read znode of a client share its token).
     *
     * @return the creation zxid of this hold's waiter znode
     */
    long fencingToken();

    /**
     * A stage that completes, with the reason, once this hold may have been lost. It never
     * completes for a hold that ends by {@link #release()} while the session is alive. Every call
     * returns a new stage that the caller may complete or cancel without affecting the guard.
     *
     * @return a stage completed with the reason the hold may have ended
     */
    CompletionStage<Loss> lost();

    /** Why a hold may have ended without a release. */
    enum Loss {
        /** The ZooKeeper session that owned the holder's znode expired: the znode is gone. */
        SESSION_EXPIRED,
        /** The client could not reach the ensemble for longer than the session timeout. */
        CONNECTION_LOST,
        /** The {@link ZkLockClient} was closed while the lock was held. */
        CLIENT_CLOSED
    }
}
