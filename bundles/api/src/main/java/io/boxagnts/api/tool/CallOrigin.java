package io.boxagnts.api.tool;

import java.util.Objects;

/**
 * Who asked for a tool call and why it was allowed to run: what the audit log records next to the call.
 *
 * @param caller who asked, e.g. {@code session 20261124-...} or {@code api}
 * @param decision why it may run, e.g. {@code read-only tool}, {@code approved once}, {@code direct API call}
 * @param approvedBy who allowed it: {@code user}, {@code session mode}, {@code token holder}; empty when nobody had to
 */
public record CallOrigin(String caller, String decision, String approvedBy) {

    /** A caller that did not say who it is. */
    public static final CallOrigin UNKNOWN = new CallOrigin("unknown", "unknown", "");

    public CallOrigin {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(decision, "decision");
        approvedBy = Objects.requireNonNullElse(approvedBy, "");
    }
}
