/**
 * jcstress tests: one race per class, named after the race, each listing its acceptable and
 * forbidden outcomes. They live in {@code src/main} because the jcstress annotation processor
 * generates the runners there; the module's build shades them into {@code target/jcstress.jar}
 * and runs it in the {@code verify} phase.
 *
 * <p>Conventions: the {@code @State} constructor sets the scene (a holder, queued waiters); the
 * actors race; the {@code @Arbiter} reads the end state and then releases every hold, so no
 * state object leaves a lock held. No actor can wait for something that never happens: a parked
 * {@code lock()} always has a releasing actor.
 *
 * {@snippet :
 * // java -jar stress-tests/target/jcstress.jar -t TwoTryAcquiresRace -m quick
 * }
 */
package dev.asynclocks.stress.jcstress;
