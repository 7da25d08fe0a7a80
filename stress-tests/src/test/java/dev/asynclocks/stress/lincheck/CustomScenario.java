package dev.asynclocks.stress.lincheck;

import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds a fixed Lincheck scenario from Java (Lincheck's scenario DSL is Kotlin-only): an init
 * part, parallel threads and a post part, each a list of operation calls with explicit arguments.
 * The thread id arguments are chosen by hand, so an init-part call may take a ticket for the
 * thread that will release it in the parallel part.
 *
 * {@snippet :
 * ExecutionScenario handOff = new CustomScenario(MutexOperations.class)
 *         .init("tryAcquire", 1).init("acquire", 2).init("acquire", 3)
 *         .thread(1, "release", 1)
 *         .post("release", 2)
 *         .build();
 * }
 */
final class CustomScenario {

    private final Class<?> operations;
    private final List<Actor> init = new ArrayList<>();
    private final List<List<Actor>> parallel = new ArrayList<>();
    private final List<Actor> post = new ArrayList<>();

    CustomScenario(Class<?> operations) {
        this.operations = operations;
    }

    CustomScenario init(String operation, Object... args) {
        init.add(actor(operation, args));
        return this;
    }

    /** Adds a call to parallel thread {@code thread} (1-based, created on first use). */
    CustomScenario thread(int thread, String operation, Object... args) {
        while (parallel.size() < thread) {
            parallel.add(new ArrayList<>());
        }
        parallel.get(thread - 1).add(actor(operation, args));
        return this;
    }

    CustomScenario post(String operation, Object... args) {
        post.add(actor(operation, args));
        return this;
    }

    ExecutionScenario build() {
        return new ExecutionScenario(init, parallel, post, null);
    }

    private Actor actor(String operation, Object... args) {
        for (Method method : operations.getMethods()) {
            if (method.getName().equals(operation) && method.getParameterCount() == args.length) {
                return new Actor(method, Arrays.asList(args));
            }
        }
        throw new IllegalArgumentException("no operation " + operation + "/" + args.length + " in " + operations);
    }
}
