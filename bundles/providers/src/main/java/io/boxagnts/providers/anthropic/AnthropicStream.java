package io.boxagnts.providers.anthropic;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
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

/** Messages API stream events to deltas and one response. Blocks are kept by index; tool input joins its fragments. */
final class AnthropicStream {

    private static final class Block {
        String type;
        String id;
        String name;
        final StringBuilder text = new StringBuilder();
    }

    private final ChatListener listener;
    private final Map<Integer, Block> blocks = new TreeMap<>();
    private long inputTokens;
    private long outputTokens;
    private String stopReason;
    private boolean stopped;

    AnthropicStream(ChatListener listener) {
        this.listener = listener;
    }

    /** One SSE line; false once the message has stopped. */
    boolean line(String line) throws ModelException {
        if (stopped || !line.startsWith("data:")) {
            return !stopped; // "event:" names are repeated in the data's "type"
        }
        String data = line.substring(5).strip();
        JsonObject event;
        try {
            JsonElement element = JsonParser.parseString(data);
            event = element.getAsJsonObject();
        } catch (RuntimeException e) {
            throw new ModelException(ModelException.Kind.MALFORMED_RESPONSE,
                    "the model server sent an event that is not JSON: " + ModelHttp.abbreviate(data));
        }
        String type = event.has("type") ? event.get("type").getAsString() : "";
        switch (type) {
            case "message_start" -> {
                JsonObject usage = event.getAsJsonObject("message").getAsJsonObject("usage");
                if (usage != null && usage.has("input_tokens")) {
                    inputTokens = usage.get("input_tokens").getAsLong();
                }
            }
            case "content_block_start" -> {
                Block block = new Block();
                JsonObject start = event.getAsJsonObject("content_block");
                block.type = start.get("type").getAsString();
                if (start.has("id")) {
                    block.id = start.get("id").getAsString();
                }
                if (start.has("name")) {
                    block.name = start.get("name").getAsString();
                }
                int index = event.get("index").getAsInt();
                blocks.put(index, block);
                if ("tool_use".equals(block.type)) {
                    listener.onDelta(new ChatDelta.ToolCallFragment(index, block.id, block.name, ""));
                }
            }
            case "content_block_delta" -> delta(event.get("index").getAsInt(), event.getAsJsonObject("delta"));
            case "message_delta" -> {
                JsonObject delta = event.getAsJsonObject("delta");
                if (delta != null && delta.has("stop_reason") && !delta.get("stop_reason").isJsonNull()) {
                    stopReason = delta.get("stop_reason").getAsString();
                }
                JsonObject usage = event.getAsJsonObject("usage");
                if (usage != null && usage.has("output_tokens")) {
                    outputTokens = usage.get("output_tokens").getAsLong();
                }
            }
            case "message_stop" -> stopped = true;
            case "error" -> throw new ModelException(errorKind(event), "the model server reported an error "
                    + "mid-stream: " + ModelHttp.abbreviate(event.get("error").toString()));
            default -> { } // ping, content_block_stop, and types added later
        }
        return !stopped;
    }

    private void delta(int index, JsonObject delta) throws ModelException {
        Block block = blocks.get(index);
        if (block == null) {
            throw new ModelException(ModelException.Kind.MALFORMED_RESPONSE,
                    "the model server sent a delta for block " + index + " before starting it");
        }
        String type = delta.get("type").getAsString();
        if (type.equals("text_delta")) {
            String text = delta.get("text").getAsString();
            block.text.append(text);
            listener.onDelta(new ChatDelta.Text(text));
        } else if (type.equals("input_json_delta")) {
            String fragment = delta.get("partial_json").getAsString();
            block.text.append(fragment);
            listener.onDelta(new ChatDelta.ToolCallFragment(index, null, null, fragment));
        }
    }

    private static ModelException.Kind errorKind(JsonObject event) {
        String type = event.has("error") && event.get("error").isJsonObject()
                && event.getAsJsonObject("error").has("type") ? event.getAsJsonObject("error").get("type").getAsString() : "";
        return switch (type) {
            case "overloaded_error", "api_error" -> ModelException.Kind.SERVER_ERROR;
            case "rate_limit_error" -> ModelException.Kind.RATE_LIMITED;
            default -> ModelException.Kind.MALFORMED_RESPONSE;
        };
    }

    ChatResponse finish() throws ModelException {
        if (!stopped) {
            throw new ModelException(ModelException.Kind.STREAM_CUT,
                    "the model server closed the stream before the message was complete");
        }
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (Block block : blocks.values()) {
            if ("text".equals(block.type)) {
                text.append(block.text);
            } else if ("tool_use".equals(block.type)) {
                calls.add(new ToolCall(block.id, block.name, block.text.isEmpty() ? "{}" : block.text.toString()));
            }
        }
        ChatResponse.FinishReason reason = switch (stopReason == null ? "" : stopReason) {
            case "end_turn", "stop_sequence" -> ChatResponse.FinishReason.STOP;
            case "tool_use" -> ChatResponse.FinishReason.TOOL_CALLS;
            case "max_tokens" -> ChatResponse.FinishReason.LENGTH;
            default -> calls.isEmpty() ? ChatResponse.FinishReason.OTHER : ChatResponse.FinishReason.TOOL_CALLS;
        };
        return new ChatResponse(ChatMessage.assistant(text.toString(), calls), reason, new Usage(inputTokens, outputTokens));
    }
}
