package io.boxagnts.api.sandbox;

import java.util.Objects;

/**
 * The state of the WASM engine.
 *
 * @param state where the engine is in its life
 * @param implementation the engine's implementation name, e.g. {@code GraalVM CE} (optimizing) or
 *     {@code Interpreted}; empty until the engine is ready
 * @param optimized whether WASM code is compiled to machine code; {@code false} means a 30-50x slower interpreter
 * @param detail a human-readable remark: the reason of a failure or of the fallback to the interpreter, else empty
 */
public record EngineInfo(State state, String implementation, boolean optimized, String detail) {

    public enum State { STARTING, READY, FAILED }

    public static final EngineInfo STARTING = new EngineInfo(State.STARTING, "", false, "");

    public EngineInfo {
        Objects.requireNonNull(state, "state");
        implementation = Objects.requireNonNullElse(implementation, "");
        detail = Objects.requireNonNullElse(detail, "");
    }
}
