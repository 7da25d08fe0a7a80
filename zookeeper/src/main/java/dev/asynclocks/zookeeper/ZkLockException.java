package dev.asynclocks.zookeeper;

/**
 * An acquisition of a distributed lock failed for a reason other than a timeout or a cancellation:
 * the ensemble could not be reached for longer than the session timeout, the session expired while
 * the acquisition waited, or ZooKeeper refused an operation. The message names the connect string
 * and the lock path.
 *
 * <p>Nothing is left behind: the acquisition's waiter znode is deleted, or dies with its session.
 *
 * {@snippet :
 * lock.acquire().whenComplete((guard, failure) -> {
 *     if (failure instanceof CompletionException e && e.getCause() instanceof ZkLockException z) {
 *         log.warn("ZooKeeper unavailable: {}", z.getMessage());
 *     }
 * });
 * }
 */
public final class ZkLockException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, naming the connect string and the lock path
     * @param cause   the ZooKeeper error, or {@code null}
     */
    public ZkLockException(String message, Throwable cause) {
        super(message, cause);
    }
}
