package dev.asynclocks.zookeeper;

import java.util.ArrayList;
import java.util.List;

/**
 * A resource that checks fencing tokens, as docs/distributed.md recommends: a write carries the
 * writer's token and is rejected if a larger token was already seen. Keeps every decision for the
 * assertions.
 */
final class FencedResource {

    /** Guarded by this. */
    private long highest;
    /** Guarded by this: every write that was accepted, in order. */
    private final List<Long> accepted = new ArrayList<>();
    /** Guarded by this. */
    private final List<Long> rejected = new ArrayList<>();

    synchronized boolean write(long token) {
        if (token < highest) {
            rejected.add(token);
            return false;
        }
        highest = token;
        accepted.add(token);
        return true;
    }

    synchronized List<Long> accepted() {
        return List.copyOf(accepted);
    }

    synchronized List<Long> rejected() {
        return List.copyOf(rejected);
    }
}
