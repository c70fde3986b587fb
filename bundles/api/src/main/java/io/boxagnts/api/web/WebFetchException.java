package io.boxagnts.api.web;

import java.util.Objects;

/** A fetch that was refused or failed, with a reason meant for the model and the user. */
public class WebFetchException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why. New kinds may be added in minor versions. */
    public enum Kind {
        /** The administrator has not turned web fetching on. */
        DISABLED,
        /** The policy refuses this URL: host not on the allowlist, plain http, a private address, credentials. */
        REFUSED,
        /** The URL is not an absolute http(s) URL. */
        INVALID_URL,
        /** The fetch took longer than its time limit. */
        TIMEOUT,
        /** The server could not be reached or answered with something that is not usable (not text, malformed). */
        FAILED
    }

    private final Kind kind;

    public WebFetchException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
