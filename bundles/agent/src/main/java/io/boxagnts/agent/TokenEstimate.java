package io.boxagnts.agent;

import io.boxagnts.api.model.ChatMessage;
import io.boxagnts.api.model.ToolCall;
import io.boxagnts.api.model.ToolDefinition;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tokens a request will take, estimated without the model's tokenizer (which only the server has): UTF-8 bytes at
 * 3.5 per token (measured against llama.cpp with a Qwen2.5 vocabulary: 3.7-4.1 bytes per token for English, code
 * and JSON), plus what chat templates add per message and per tool. Then corrected by what the server says: an
 * answer's prompt-token count above the estimate raises the ratio between estimate and truth, kept per model, so the
 * estimate follows a greedier tokenizer (code, other scripts) after the first step. It is never lowered: servers that
 * cache the prompt (Ollama) count only the part they had to read, which would make the estimate too small. One
 * instance per model, shared by the turns using it.
 */
final class TokenEstimate {

    static final double BYTES_PER_TOKEN = 3.5;
    /** Role markers and separators a chat template puts around each message. */
    static final int PER_MESSAGE = 6;
    /** A tool call's framing in the assistant message. */
    static final int PER_CALL = 12;
    /** The instructions a chat template wraps tool definitions in (Qwen's: ~120 tokens), and each tool's framing. */
    static final int TOOLS_PREAMBLE = 150;
    static final int PER_TOOL = 10;

    private static final Pattern REPORTED = Pattern.compile("\\((\\d+) tokens\\)");

    /** Truth divided by raw estimate; starts at 1, only grows, bounded so one odd answer cannot make it absurd. */
    private volatile double ratio = 1.0;

    static int raw(String text) {
        return (int) Math.ceil(text.getBytes(StandardCharsets.UTF_8).length / BYTES_PER_TOKEN);
    }

    int text(String text) {
        return scaled(raw(text));
    }

    int message(ChatMessage message) {
        return scaled(rawMessage(message));
    }

    int messages(List<ChatMessage> messages) {
        return scaled(messages.stream().mapToInt(TokenEstimate::rawMessage).sum());
    }

    int tools(List<ToolDefinition> tools) {
        return scaled(rawTools(tools));
    }

    static int rawTools(List<ToolDefinition> tools) {
        if (tools.isEmpty()) {
            return 0;
        }
        return TOOLS_PREAMBLE + tools.stream().mapToInt(t -> PER_TOOL + raw(t.name()) + raw(t.description())
                + raw(t.inputSchema())).sum();
    }

    private static int rawMessage(ChatMessage message) {
        int tokens = PER_MESSAGE + raw(message.text());
        for (ToolCall call : message.toolCalls()) {
            tokens += PER_CALL + raw(call.name()) + raw(call.arguments());
        }
        return tokens;
    }

    /** Characters of plain text that take about this many tokens (the inverse, for cutting text to size). */
    int chars(int tokens) {
        return (int) Math.max(0, tokens * BYTES_PER_TOKEN / ratio);
    }

    private int scaled(int raw) {
        return (int) Math.ceil(raw * ratio);
    }

    double ratio() {
        return ratio;
    }

    /** The server counted {@code actual} prompt tokens where we estimated {@code estimated}: learn from it. */
    void learn(long actual, int estimated) {
        if (actual <= 0 || estimated <= 0) {
            return;
        }
        double observed = actual / (estimated / ratio);
        ratio = Math.max(ratio, Math.min(3.0, observed));
    }

    /**
     * A server's context-overflow message names the tokens the request took, e.g. llama.cpp's "request (9909
     * tokens) exceeds the available context size (4096 tokens)": learn from that too. Answers whether it did.
     */
    boolean learnFromRejection(String message, int estimated) {
        Matcher matcher = REPORTED.matcher(message);
        boolean said = matcher.find();
        if (said) {
            learn(Long.parseLong(matcher.group(1)), estimated);
        }
        ratio = Math.min(3.0, ratio * (said ? 1.05 : 1.25)); // a margin more, or, not told by how much, a lot more
        return said;
    }
}
