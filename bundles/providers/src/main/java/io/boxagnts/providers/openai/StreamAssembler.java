package io.boxagnts.providers.openai;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.boxagnts.api.model.ChatDelta;
import io.boxagnts.api.model.ChatListener;
import io.boxagnts.api.model.ChatMessage;
import io.boxagnts.api.model.ChatResponse;
import io.boxagnts.api.model.ModelException;
import io.boxagnts.api.model.ToolCall;
import io.boxagnts.api.model.Usage;
import io.boxagnts.providers.http.ModelHttp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the server-sent events of a streamed chat completion into deltas for the listener and, at the end, one
 * response. Tool-call fragments are joined by their index, so several calls may interleave.
 */
final class StreamAssembler {

    private static final class PartialCall {
        String id;
        String name;
        final StringBuilder arguments = new StringBuilder();
    }

    private final ChatListener listener;
    private final StringBuilder text = new StringBuilder();
    private final Map<Integer, PartialCall> calls = new TreeMap<>();
    private String finishReason;
    private Usage usage = Usage.NONE;
    private boolean done;
    /** Chunks that carried generated text or tool-call fragments: about one token each on local servers. */
    private long generatedChunks;

    StreamAssembler(ChatListener listener) {
        this.listener = listener;
    }

    /** One line of the event stream. Returns false once the stream said it is done. */
    boolean line(String line) throws ModelException {
        if (done || line.isEmpty() || line.startsWith(":") || !line.startsWith("data:")) {
            return !done; // blank separators, comments and other SSE fields carry nothing for us
        }
        String data = line.substring(5).strip();
        if (data.equals("[DONE]")) {
            done = true;
            return false;
        }
        JsonObject chunk;
        try {
            JsonElement element = JsonParser.parseString(data);
            if (!element.isJsonObject()) {
                throw new JsonParseException("not a JSON object");
            }
            chunk = element.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new ModelException(ModelException.Kind.MALFORMED_RESPONSE,
                    "the model server sent a chunk that is not JSON: " + ModelHttp.abbreviate(data));
        }
        if (chunk.has("error")) {
            throw new ModelException(ModelException.Kind.SERVER_ERROR,
                    "the model server reported an error mid-stream: " + ModelHttp.abbreviate(chunk.get("error").toString()));
        }
        if (chunk.has("usage") && chunk.get("usage").isJsonObject()) {
            JsonObject u = chunk.getAsJsonObject("usage");
            usage = new Usage(number(u, "prompt_tokens"), number(u, "completion_tokens"));
        }
        JsonArray choices = chunk.has("choices") && chunk.get("choices").isJsonArray()
                ? chunk.getAsJsonArray("choices") : new JsonArray();
        for (JsonElement choice : choices) {
            choice(choice.getAsJsonObject());
        }
        return true;
    }

    private void choice(JsonObject choice) {
        if (choice.has("finish_reason") && !choice.get("finish_reason").isJsonNull()) {
            finishReason = choice.get("finish_reason").getAsString();
        }
        if (!choice.has("delta") || !choice.get("delta").isJsonObject()) {
            return;
        }
        JsonObject delta = choice.getAsJsonObject("delta");
        if (delta.has("content") && !delta.get("content").isJsonNull()) {
            String content = delta.get("content").getAsString();
            if (!content.isEmpty()) {
                generatedChunks++;
                text.append(content);
                listener.onDelta(new ChatDelta.Text(content));
            }
        }
        if (delta.has("tool_calls") && delta.get("tool_calls").isJsonArray()) {
            generatedChunks++;
            for (JsonElement element : delta.getAsJsonArray("tool_calls")) {
                fragment(element.getAsJsonObject());
            }
        }
    }

    private void fragment(JsonObject fragment) {
        int index = fragment.has("index") ? fragment.get("index").getAsInt() : calls.size();
        PartialCall call = calls.computeIfAbsent(index, i -> new PartialCall());
        String id = string(fragment, "id");
        String name = null;
        String arguments = null;
        if (id != null) {
            call.id = id;
        }
        if (fragment.has("function") && fragment.get("function").isJsonObject()) {
            JsonObject function = fragment.getAsJsonObject("function");
            name = string(function, "name");
            arguments = string(function, "arguments");
            if (name != null) {
                call.name = name;
            }
            if (arguments != null) {
                call.arguments.append(arguments);
            }
        }
        listener.onDelta(new ChatDelta.ToolCallFragment(index, id, name, arguments));
    }

    /**
     * The failure of a call that streamed part of its answer, with what it consumed: the server's usage when its last
     * chunk came, else the generated chunks counted as tokens (prompt tokens unknown, 0).
     */
    ModelException withUsage(ModelException failure) {
        Usage consumed = usage.equals(Usage.NONE) ? new Usage(0, generatedChunks) : usage;
        return new ModelException(failure.kind(), failure.getMessage(), failure.getCause(), consumed);
    }

    /** The text streamed so far. */
    String partialText() {
        return text.toString();
    }

    /** The complete response; a stream that ended without [DONE] or a finish reason was cut. */
    ChatResponse finish() throws ModelException {
        if (!done && finishReason == null) {
            throw new ModelException(ModelException.Kind.STREAM_CUT,
                    "the model server closed the stream before the answer was complete (" + text.length()
                            + " characters received)");
        }
        List<ToolCall> toolCalls = new ArrayList<>();
        int generated = 0;
        for (PartialCall call : calls.values()) {
            if (call.name == null) {
                throw new ModelException(ModelException.Kind.MALFORMED_RESPONSE,
                        "the model server sent a tool call without a name");
            }
            String id = call.id != null ? call.id : "call_" + generated++;
            toolCalls.add(new ToolCall(id, call.name, call.arguments.isEmpty() ? "{}" : call.arguments.toString()));
        }
        String content = text.toString();
        if (toolCalls.isEmpty()) {
            TextToolCalls.Extracted extracted = TextToolCalls.extract(content);
            if (!extracted.calls().isEmpty()) {
                toolCalls = extracted.calls();
                content = extracted.remainingText();
                finishReason = "tool_calls";
            }
        }
        return new ChatResponse(ChatMessage.assistant(content, toolCalls), reason(toolCalls), usage);
    }

    private ChatResponse.FinishReason reason(List<ToolCall> toolCalls) {
        if (!toolCalls.isEmpty()) {
            return ChatResponse.FinishReason.TOOL_CALLS;
        }
        if (finishReason == null) {
            return ChatResponse.FinishReason.STOP;
        }
        return switch (finishReason) {
            case "stop" -> ChatResponse.FinishReason.STOP;
            case "length" -> ChatResponse.FinishReason.LENGTH;
            case "tool_calls", "function_call" -> ChatResponse.FinishReason.TOOL_CALLS;
            default -> ChatResponse.FinishReason.OTHER;
        };
    }

    private static String string(JsonObject object, String field) {
        return object.has(field) && !object.get(field).isJsonNull() ? object.get(field).getAsString() : null;
    }

    private static long number(JsonObject object, String field) {
        return object.has(field) && object.get(field).isJsonPrimitive() ? object.get(field).getAsLong() : 0;
    }
}
