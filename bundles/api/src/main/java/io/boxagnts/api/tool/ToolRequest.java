package io.boxagnts.api.tool;

import java.util.Objects;

/**
 * One call of a tool.
 *
 * @param callId identifies the call in logs and events (the model's tool-call id when there is one)
 * @param input the tool's input as JSON text; the tool validates it against its schema
 * @param origin who asked for the call and why it was allowed (for the audit log)
 */
public record ToolRequest(String callId, String input, CallOrigin origin) {

    public ToolRequest {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(input, "input");
        origin = Objects.requireNonNullElse(origin, CallOrigin.UNKNOWN);
    }

    /** A call whose origin is not known. */
    public ToolRequest(String callId, String input) {
        this(callId, input, CallOrigin.UNKNOWN);
    }
}
