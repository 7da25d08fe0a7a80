package dev.asynclocks.stress.lincheck;

import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * Runs one primitive's Lincheck operations in both modes, against its sequential specification,
 * with 3 threads (every bug kotlinx.coroutines' Lincheck suite ever found needed at most 3): a
 * few hand-written scenarios first (the races the primitive exists for), then random ones.
 *
 * <p>Sizes come from system properties, so that CI stays small and {@code -Pfull} goes large
 * (the pom sets them): {@code asynclocks.lincheck.iterations} (random scenarios per mode),
 * {@code asynclocks.lincheck.invocations} (interleavings model-checked per scenario),
 * {@code asynclocks.lincheck.stressInvocations} (stress runs per scenario).
 *
 * {@snippet :
 * class MutexLincheckTest extends LincheckSuite {
 *     MutexLincheckTest() { super(MutexOperations.class, SequentialMutex.class, List.of()); }
 * }
 * }
 */
abstract class LincheckSuite {

    static final int THREADS = 3;
    static final int ACTORS_PER_THREAD = 3;
    static final int ITERATIONS = Integer.getInteger("asynclocks.lincheck.iterations", 20);
    static final int INVOCATIONS = Integer.getInteger("asynclocks.lincheck.invocations", 500);
    static final int STRESS_INVOCATIONS = Integer.getInteger("asynclocks.lincheck.stressInvocations", 3_000);

    private final Class<?> operations;
    private final Class<?> specification;
    private final List<ExecutionScenario> scenarios;

    LincheckSuite(Class<?> operations, Class<?> specification, List<ExecutionScenario> scenarios) {
        this.operations = operations;
        this.specification = specification;
        this.scenarios = scenarios;
    }

    @Test
    void modelChecking() {
        withScenarios(modelCheckingOptions(specification), scenarios).check(operations);
    }

    @Test
    void stress() {
        withScenarios(stressOptions(specification), scenarios).check(operations);
    }

    static ModelCheckingOptions modelCheckingOptions(Class<?> specification) {
        return shape(new ModelCheckingOptions(), specification).invocationsPerIteration(INVOCATIONS);
    }

    static StressOptions stressOptions(Class<?> specification) {
        return shape(new StressOptions(), specification).invocationsPerIteration(STRESS_INVOCATIONS);
    }

    static <O extends Options<O, ?>> O withScenarios(O options, List<ExecutionScenario> scenarios) {
        scenarios.forEach(options::addCustomScenario);
        return options;
    }

    private static <O extends Options<O, ?>> O shape(O options, Class<?> specification) {
        return options
                .threads(THREADS)
                .actorsPerThread(ACTORS_PER_THREAD)
                .actorsBefore(2)
                .actorsAfter(1)
                .iterations(ITERATIONS)
                .sequentialSpecification(specification);
    }
}
