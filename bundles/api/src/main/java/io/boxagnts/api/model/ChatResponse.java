package io.boxagnts.api.model;

import java.util.Objects;

/**
 * A finished completion.
 *
 * @param message the assistant message, tool calls included
 * @param finishReason why generation stopped
 * @param usage tokens consumed
 */
public record ChatResponse(ChatMessage message, FinishReason finishReason, Usage usage) {

    public enum FinishReason { STOP, TOOL_CALLS, LENGTH, OTHER }

    public ChatResponse {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(finishReason, "finishReason");
        usage = Objects.requireNonNullElse(usage, Usage.NONE);
    }
}
