package io.boxagnts.agent;

import io.boxagnts.api.agent.AgentEvent;
import io.boxagnts.api.model.ChatMessage;
import io.boxagnts.api.model.ToolCall;
import java.util.ArrayList;
import java.util.List;

/**
 * The conversation as the model sees it, rebuilt from a session's events. A step is logged as its text (one
 * coalesced delta), the tool calls it started, then their results; the assistant message of the step is complete
 * when its first result (or the next user message, or the end of the turn) comes.
 */
final class History {

    private History() {}

    static List<ChatMessage> messages(List<AgentEvent> events) {
        return messages(events, Integer.MAX_VALUE);
    }

    /**
     * The conversation, each tool output capped to {@code toolOutputChars} (with a note saying how to get the rest);
     * the text of a turn the user stopped ends with a note saying so.
     */
    static List<ChatMessage> messages(List<AgentEvent> events, int toolOutputChars) {
        List<ChatMessage> messages = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (AgentEvent event : events) {
            switch (event) {
                case AgentEvent.UserMessage user -> {
                    flush(messages, text, calls);
                    messages.add(ChatMessage.user(user.text()));
                }
                case AgentEvent.TextDelta delta -> text.append(delta.text());
                case AgentEvent.ToolCallStarted started ->
                        calls.add(new ToolCall(started.callId(), started.tool(), started.arguments()));
                case AgentEvent.ToolCallFinished finished -> {
                    flush(messages, text, calls);
                    messages.add(ChatMessage.toolResult(finished.callId(),
                            ContextBudget.capToolOutput(ToolResults.forModel(finished), toolOutputChars)));
                }
                case AgentEvent.TurnFinished turn -> {
                    if (turn.reason() == AgentEvent.StopReason.CANCELLED && text.length() > 0) {
                        text.append(CANCELLED_MARK);
                    }
                    flush(messages, text, calls);
                }
                case AgentEvent.ContextSummary summary -> {
                    flush(messages, text, calls);
                    summarise(messages, summary.text());
                }
                default -> { }
            }
        }
        flush(messages, text, calls);
        return messages;
    }

    /** Everything before the latest user message gives way to the summary; that message and what follows stay. */
    private static void summarise(List<ChatMessage> messages, String summary) {
        int lastUser = -1;
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).role() == ChatMessage.Role.USER) {
                lastUser = i;
            }
        }
        List<ChatMessage> kept = lastUser < 0 ? List.of() : List.copyOf(messages.subList(lastUser, messages.size()));
        messages.clear();
        messages.add(ChatMessage.user(SUMMARY_PREFIX + summary));
        messages.add(ChatMessage.assistant("Understood.", List.of())); // keeps user and assistant turns alternating
        messages.addAll(kept);
    }

    static final String CANCELLED_MARK = "\n[the user stopped this answer here]";

    static final String SUMMARY_PREFIX = "[Summary of the earlier conversation]\n";

    private static void flush(List<ChatMessage> messages, StringBuilder text, List<ToolCall> calls) {
        if (text.length() > 0 || !calls.isEmpty()) {
            messages.add(ChatMessage.assistant(text.toString(), List.copyOf(calls)));
            text.setLength(0);
            calls.clear();
        }
    }
}
