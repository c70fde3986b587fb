package io.boxagnts.agent;

import io.boxagnts.api.model.ChatMessage;
import io.boxagnts.api.model.ToolCall;
import java.util.ArrayList;
import java.util.List;

/**
 * Fits a request into the model's context window: system prompt + tool definitions + history + the new message, with
 * room left for the answer. What does not fit gives way in this order: the outputs of older tool calls (the model can
 * call the tool again), then, done by the loop, everything before the current request is summarised by the model,
 * then the largest messages left (the new message, a tool output) are cut in the middle with a note saying so. The log
 * is never changed: every request is fitted anew from it, so an oversized message cannot poison later turns.
 */
final class ContextBudget {

    static final String DROPPED = "{\"dropped\":\"this older tool output was removed to fit the context window\"}";
    /** Below this window the short tool definitions are sent. */
    static final int COMPACT_TOOLS_BELOW = 16_384;
    /** A tool output takes at most this share of the window when it enters the history. */
    static final int TOOL_OUTPUT_SHARE = 4;
    /** A message is not cut below this many tokens: some of it must stay readable. */
    private static final int MIN_KEEP_TOKENS = 48;

    /** The history after cutting, and what the user should be told about it. */
    record Cut(List<ChatMessage> history, List<String> notices) {}

    private final int window;
    private final TokenEstimate estimate;

    ContextBudget(int window, TokenEstimate estimate) {
        this.window = window;
        this.estimate = estimate;
    }

    int window() {
        return window;
    }

    /** Tokens kept free for the answer: a sixth of the window, at least 256, at most 4,096. */
    int answerRoom() {
        return Math.max(256, Math.min(window / 6, 4096));
    }

    /** Tokens the prompt may take: the window less the answer's room and a margin for the estimate's error. */
    int promptLimit() {
        return window - answerRoom() - window / 32;
    }

    boolean compactTools() {
        return window < COMPACT_TOOLS_BELOW;
    }

    /** The most characters a tool output may keep when it enters the history. */
    int toolOutputChars() {
        return estimate.chars(window / TOOL_OUTPUT_SHARE);
    }

    /**
     * Replaces the outputs of older tool calls (all but the results of the latest step) by a short note, oldest
     * first, until the history takes at most {@code room} tokens; answers how many were dropped in {@code dropped[0]}.
     */
    List<ChatMessage> dropOldToolOutputs(List<ChatMessage> history, int room, int[] dropped) {
        int size = estimate.messages(history);
        if (size <= room) {
            return history;
        }
        int latestStep = latestStepStart(history);
        List<ChatMessage> fitted = new ArrayList<>(history);
        for (int i = 0; i < latestStep && size > room; i++) {
            ChatMessage message = fitted.get(i);
            if (message.role() == ChatMessage.Role.TOOL && !message.text().equals(DROPPED)) {
                ChatMessage replaced = ChatMessage.toolResult(message.toolCallId(), DROPPED);
                size += estimate.message(replaced) - estimate.message(message);
                fitted.set(i, replaced);
                dropped[0]++;
            }
        }
        return fitted;
    }

    /** Index of the results of the latest step: the messages after the last assistant message with tool calls. */
    private static int latestStepStart(List<ChatMessage> history) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).role() == ChatMessage.Role.ASSISTANT && !history.get(i).toolCalls().isEmpty()) {
                return i + 1;
            }
            if (history.get(i).role() == ChatMessage.Role.USER) {
                return history.size(); // the current request has no tool results yet: every output is older
            }
        }
        return history.size();
    }

    /**
     * The last resort: cuts the largest messages left in the middle (keeping their start and end) until the history
     * takes at most {@code room} tokens, each with a note to the model where the cut is. May still not fit when
     * {@code room} is too small for even the shortened messages: the caller checks.
     */
    Cut cut(List<ChatMessage> history, int room) {
        List<ChatMessage> fitted = new ArrayList<>(history);
        List<String> notices = new ArrayList<>();
        int excess = estimate.messages(fitted) - room;
        for (int round = 0; excess > 0 && round < 4 * fitted.size(); round++) {
            int largest = -1;
            for (int i = 0; i < fitted.size(); i++) {
                if (estimate.text(fitted.get(i).text()) > MIN_KEEP_TOKENS * 2
                        && (largest < 0 || fitted.get(i).text().length() > fitted.get(largest).text().length())) {
                    largest = i;
                }
            }
            if (largest < 0) {
                break; // nothing left worth cutting
            }
            ChatMessage message = fitted.get(largest);
            int tokens = estimate.text(message.text());
            int keep = Math.max(MIN_KEEP_TOKENS, tokens - excess - 32);
            // proportional too: text of many bytes per character (CJK) has fewer characters than the estimate thinks
            String shortened = cutMiddle(message.text(), (int) Math.min(estimate.chars(keep),
                    (long) message.text().length() * keep / tokens));
            ChatMessage replaced = new ChatMessage(message.role(), shortened, message.toolCalls(), message.toolCallId());
            excess -= estimate.message(message) - estimate.message(replaced);
            fitted.set(largest, replaced);
            notices.add(who(fitted, largest) + " was cut to about " + shortened.length() + " of its "
                    + message.text().length() + " characters (the middle was left out) to fit the model's "
                    + window + "-token context window.");
        }
        return new Cut(List.copyOf(fitted), List.copyOf(notices));
    }

    private static String who(List<ChatMessage> history, int index) {
        ChatMessage message = history.get(index);
        return switch (message.role()) {
            case USER -> "Your message";
            case TOOL -> "The output of " + history.subList(0, index).stream()
                    .flatMap(m -> m.toolCalls().stream()).filter(c -> c.id().equals(message.toolCallId()))
                    .map(ToolCall::name).reduce((a, b) -> b).orElse("a tool call");
            default -> "An earlier answer";
        };
    }

    /** The start and the end of a text, {@code chars} together, with a note where the middle was. */
    static String cutMiddle(String text, int chars) {
        if (text.length() <= chars) {
            return text;
        }
        int head = chars * 2 / 3;
        int tail = chars - head;
        int omitted = text.length() - head - tail;
        return text.substring(0, head) + "\n[... " + omitted + " characters left out here to fit the context window "
                + "...]\n" + text.substring(text.length() - tail);
    }

    /**
     * A tool output as it enters the history: at most {@code chars} characters, the rest replaced by a note that says
     * how to get it.
     */
    static String capToolOutput(String output, int chars) {
        if (output.length() <= chars) {
            return output;
        }
        return output.substring(0, chars) + "\n[output cut: the first " + chars + " of " + output.length()
                + " characters are shown, to fit the model's context window. Ask for less to see the rest: read_file "
                + "with offset and limit, list_dir on a sub-directory or with a smaller depth, grep or glob with a "
                + "narrower pattern or max_results.]";
    }
}
