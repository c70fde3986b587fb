package io.boxagnts.api.model;

import java.util.List;
import java.util.Objects;

/**
 * @param model the model id
 * @param messages the conversation so far, oldest first
 * @param tools the tools the model may call in this turn
 * @param maxOutputTokens cap on generated tokens, or 0 for the provider's default
 */
public record ChatRequest(String model, List<ChatMessage> messages, List<ToolDefinition> tools, int maxOutputTokens) {

    public ChatRequest {
        Objects.requireNonNull(model, "model");
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
    }
}
