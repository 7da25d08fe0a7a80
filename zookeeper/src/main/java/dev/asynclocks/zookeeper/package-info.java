/**
 * Distributed fair locks on Apache ZooKeeper, behind the {@link dev.asynclocks.AsyncLock} interface.
 *
 * <p>{@link dev.asynclocks.zookeeper.ZkLockClient} connects to an ensemble and hands out
 * {@linkplain dev.asynclocks.zookeeper.ZkLockClient#mutex(String) mutexes} and
 * {@linkplain dev.asynclocks.zookeeper.ZkLockClient#readWriteLock(String) read-write locks}.
 * Their guards are {@link dev.asynclocks.zookeeper.FencedGuard}s: each carries a fencing token
 * that strictly increases with every grant, and a signal that the hold may have been lost.
 *
 * <p><b>A distributed lock alone is not mutual exclusion.</b> A holder paused for longer than the
 * session timeout (a GC pause, a stopped VM) loses its hold without knowing it, and another client
 * is granted the lock: for a while there are two holders. Only the resource can tell them apart,
 * by the fencing token. docs/distributed.md explains how to check it.
 *
 * <p>The recipe is ZooKeeper's lock recipe (a queue of ephemeral sequential znodes, each waiter
 * watching only its predecessor), with unique per-acquisition name prefixes so a connection loss
 * during a create leaks nothing, and withdrawal (cancel, timeout, interrupt) that deletes the
 * waiter's znode whatever it races with.
 *
 * {@snippet :
 * try (ZkLockClient zk = ZkLockClient.connect("127.0.0.1:2181", Duration.ofSeconds(10))) {
 *     try (FencedGuard guard = zk.mutex("/locks/report").lock()) {
 *         reports.publish(report, guard.fencingToken());
 *     }
 * }
 * }
 */
package dev.asynclocks.zookeeper;
