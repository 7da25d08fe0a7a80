/**
 * Fair async locks for virtual threads and {@code CompletionStage} code.
 *
 * <p>Exports only {@code dev.asynclocks}; the implementation in {@code dev.asynclocks.internal}
 * is not part of the API.
 */
module dev.asynclocks {
    requires jdk.jfr;

    exports dev.asynclocks;
}
