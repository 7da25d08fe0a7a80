package dev.asynclocks;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference implementation the engine is cross-checked against: a single-threaded, obviously
 * correct model of a strictly FIFO weighted semaphore. Requests are named by integer ids.
 *
 * <p>Rules: a request is granted at once only if nobody waits and its permits are free; else it
 * joins the end of the queue. Whenever permits come back or the head leaves, requests are granted
 * from the head while the head fits. A cancelled request simply leaves the queue.
 */
final class FifoSemaphoreModel {

    private record Request(int id, long permits) {
    }

    private final long total;
    private long available;
    private final Deque<Request> queue = new ArrayDeque<>();
    private final Map<Integer, Long> holds = new HashMap<>();

    FifoSemaphoreModel(long total) {
        this.total = total;
        this.available = total;
    }

    /** @return the ids granted by this call: {@code id} itself if it was granted at once, or none */
    List<Integer> acquire(int id, long permits) {
        if (queue.isEmpty() && available >= permits) {
            available -= permits;
            holds.put(id, permits);
            return List.of(id);
        }
        queue.addLast(new Request(id, permits));
        return List.of();
    }

    /** @return whether the request was granted (a try never queues) */
    boolean tryAcquire(int id, long permits) {
        if (queue.isEmpty() && available >= permits) {
            available -= permits;
            holds.put(id, permits);
            return true;
        }
        return false;
    }

    /** Ends hold {@code id} (no-op if it is not live). @return the ids granted as a result, in order */
    List<Integer> release(int id) {
        Long permits = holds.remove(id);
        if (permits == null) {
            return List.of();
        }
        available += permits;
        return grantFromHead();
    }

    /** Withdraws queued request {@code id}. @return whether it was queued, and the ids then granted */
    List<Integer> cancel(int id) {
        boolean removed = queue.removeIf(r -> r.id() == id);
        if (!removed) {
            return null;
        }
        return grantFromHead();
    }

    /** Turns hold {@code id} into a hold of {@code to} permits under id {@code newId}. */
    List<Integer> downgrade(int id, int newId, long to) {
        long from = holds.remove(id);
        holds.put(newId, to);
        available += from - to;
        return grantFromHead();
    }

    private List<Integer> grantFromHead() {
        List<Integer> granted = new ArrayList<>();
        while (!queue.isEmpty() && queue.peekFirst().permits() <= available) {
            Request head = queue.removeFirst();
            available -= head.permits();
            holds.put(head.id(), head.permits());
            granted.add(head.id());
        }
        return granted;
    }

    boolean isQueued(int id) {
        return queue.stream().anyMatch(r -> r.id() == id);
    }

    boolean isHeld(int id) {
        return holds.containsKey(id);
    }

    long available() {
        return available;
    }

    long total() {
        return total;
    }

    int queueLength() {
        return queue.size();
    }

    List<Integer> heldIds() {
        return new ArrayList<>(holds.keySet());
    }

    List<Integer> queuedIds() {
        return queue.stream().map(Request::id).toList();
    }

    long permitsOf(int id) {
        return holds.get(id);
    }

    /** @return how many live holds are of exactly {@code permits} permits */
    long holdsOf(long permits) {
        return holds.values().stream().filter(p -> p == permits).count();
    }
}
