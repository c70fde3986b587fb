package io.boxagnts.api.tool;

import java.util.Objects;

/**
 * One call of a tool.
 *
 * @param callId identifies the call in logs and events (the model's tool-call id when there is one)
 * @param input the tool's input as JSON text; the tool validates it against its schema
 * @param origin who asked for the call and why it was allowed (for the audit log)
 * @param grant what this call may use, as the tool registry's policy leaves it; null: what the tool declares
 */
public record ToolRequest(String callId, String input, CallOrigin origin, ToolGrant grant) {

    public ToolRequest {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(input, "input");
        origin = Objects.requireNonNullElse(origin, CallOrigin.UNKNOWN);
    }

    /** A call under what the tool declares (the registry adds the policy's grant). */
    public ToolRequest(String callId, String input, CallOrigin origin) {
        this(callId, input, origin, null);
    }

    /** This call under another grant. */
    public ToolRequest withGrant(ToolGrant newGrant) {
        return new ToolRequest(callId, input, origin, newGrant);
    }

    /** The grant of this call: the one given, else what the tool declares. */
    public ToolGrant grantFor(ToolSpec spec) {
        return grant != null ? grant : ToolGrant.declared(spec);
    }

    /** A call whose origin is not known. */
    public ToolRequest(String callId, String input) {
        this(callId, input, CallOrigin.UNKNOWN);
    }
}
