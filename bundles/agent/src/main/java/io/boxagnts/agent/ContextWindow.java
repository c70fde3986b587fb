package io.boxagnts.agent;

import io.boxagnts.api.model.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Keeps the conversation within the model's context window: the outputs of the oldest tool calls are dropped first
 * (the model can call a tool again), and the user is told. Tokens are estimated at four characters each.
 */
final class ContextWindow {

    static final String DROPPED = "{\"dropped\":\"this older tool output was removed to fit the context window\"}";

    private ContextWindow() {}

    /** Characters the conversation may take: tokens at ~4 characters, a quarter left for the answer. */
    static long budget(int contextTokens) {
        return (long) contextTokens * 4 * 3 / 4;
    }

    static long size(List<ChatMessage> messages) {
        return messages.stream().mapToLong(m -> m.text().length() + 16 + m.toolCalls().stream()
                .mapToLong(c -> c.arguments().length() + 32).sum()).sum();
    }

    static List<ChatMessage> fit(List<ChatMessage> messages, int contextTokens, Consumer<String> tell) {
        long budget = budget(contextTokens);
        long size = size(messages);
        if (size <= budget) {
            return messages;
        }
        List<ChatMessage> fitted = new ArrayList<>(messages);
        int dropped = 0;
        for (int i = 0; i < fitted.size() && size > budget; i++) {
            ChatMessage message = fitted.get(i);
            if (message.role() == ChatMessage.Role.TOOL && !message.text().equals(DROPPED)) {
                size -= message.text().length() - DROPPED.length();
                fitted.set(i, ChatMessage.toolResult(message.toolCallId(), DROPPED));
                dropped++;
            }
        }
        if (dropped > 0) {
            tell.accept("The conversation outgrew the model's context window: the outputs of " + dropped
                    + " older tool calls were left out.");
        }
        return fitted;
    }
}
