package io.boxagnts.api.tool;

import java.util.Objects;

/**
 * One call of a tool.
 *
 * @param callId identifies the call in logs and events (the model's tool-call id when there is one)
 * @param input the tool's input as JSON text; the tool validates it against its schema
 */
public record ToolRequest(String callId, String input) {

    public ToolRequest {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(input, "input");
    }
}
