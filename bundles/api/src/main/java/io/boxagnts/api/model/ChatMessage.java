package io.boxagnts.api.model;

import java.util.List;
import java.util.Objects;

/**
 * One message of a conversation.
 *
 * @param role who speaks
 * @param text the text, possibly empty (an assistant message may hold only tool calls)
 * @param toolCalls tool calls an assistant message asks for
 * @param toolCallId for {@link Role#TOOL} messages, the call this message answers
 */
public record ChatMessage(Role role, String text, List<ToolCall> toolCalls, String toolCallId) {

    public enum Role { SYSTEM, USER, ASSISTANT, TOOL }

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        text = Objects.requireNonNullElse(text, "");
        toolCalls = List.copyOf(toolCalls);
        if (role == Role.TOOL) {
            Objects.requireNonNull(toolCallId, "a tool message needs the id of the call it answers");
        }
    }

    public static ChatMessage system(String text) {
        return new ChatMessage(Role.SYSTEM, text, List.of(), null);
    }

    public static ChatMessage user(String text) {
        return new ChatMessage(Role.USER, text, List.of(), null);
    }

    public static ChatMessage assistant(String text, List<ToolCall> toolCalls) {
        return new ChatMessage(Role.ASSISTANT, text, toolCalls, null);
    }

    public static ChatMessage toolResult(String toolCallId, String content) {
        return new ChatMessage(Role.TOOL, content, List.of(), toolCallId);
    }
}
