package io.boxagnts.api.model;

import java.util.Objects;

/** A model call that failed, with a kind the agent can act on (retry, shrink the context, tell the user). */
public class ModelException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Failure categories. New kinds may be added in minor versions. */
    public enum Kind {
        CONNECTION_REFUSED,
        TIMEOUT,
        RATE_LIMITED,
        CONTEXT_LENGTH_EXCEEDED,
        AUTHENTICATION,
        BAD_REQUEST,
        SERVER_ERROR,
        MALFORMED_RESPONSE,
        STREAM_CUT,
        CANCELLED
    }

    private final Kind kind;
    private final transient Usage usage;

    public ModelException(Kind kind, String message, Throwable cause) {
        this(kind, message, cause, Usage.NONE);
    }

    /** @param usage what the call consumed before it failed, as far as the server said or the stream showed */
    public ModelException(Kind kind, String message, Throwable cause, Usage usage) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.usage = Objects.requireNonNullElse(usage, Usage.NONE);
    }

    public ModelException(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }

    /** Tokens the failed call consumed before it failed (the server's usage, else counted from the stream). */
    public Usage usage() {
        return usage;
    }
}
