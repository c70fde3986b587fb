package io.boxagnts.api.tool;

import java.util.Objects;

/**
 * Why a call failed, in a form a caller can act on and a person can read.
 *
 * @param kind the category, stable across releases
 * @param message a precise, human-readable reason
 */
public record ToolError(Kind kind, String message) {

    /** Failure categories. New kinds may be added in minor versions: handle unknown ones as {@link #INTERNAL}. */
    public enum Kind {
        INVALID_INPUT,
        PERMISSION_DENIED,
        TIMEOUT,
        MEMORY_LIMIT,
        OUTPUT_TOO_LARGE,
        TOO_MANY_CALLS,
        /** The call waited as long as it may for the memory that running calls hold (the sandbox's memory budget). */
        MEMORY_BUDGET,
        MODULE_TRAP,
        BAD_OUTPUT,
        TOOL_FAILED,
        UNAVAILABLE,
        INTERNAL
    }

    public ToolError {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }
}
