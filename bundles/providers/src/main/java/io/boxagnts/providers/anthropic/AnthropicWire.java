package io.boxagnts.providers.anthropic;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxagnts.api.model.ChatMessage;
import io.boxagnts.api.model.ChatRequest;
import io.boxagnts.api.model.ToolCall;
import io.boxagnts.api.model.ToolDefinition;

/**
 * Our request as a Messages API body. System messages become the {@code system} field; tool results become
 * {@code tool_result} blocks of a user turn; consecutive messages of one role merge, as the API requires turns to
 * alternate.
 */
final class AnthropicWire {

    private AnthropicWire() {}

    static JsonObject request(ChatRequest request, int defaultMaxTokens) {
        JsonObject body = new JsonObject();
        body.addProperty("model", request.model());
        body.addProperty("max_tokens", request.maxOutputTokens() > 0 ? request.maxOutputTokens() : defaultMaxTokens);
        body.addProperty("stream", true);
        StringBuilder system = new StringBuilder();
        JsonArray messages = new JsonArray();
        for (ChatMessage message : request.messages()) {
            if (message.role() == ChatMessage.Role.SYSTEM) {
                system.append(system.length() > 0 ? "\n\n" : "").append(message.text());
                continue;
            }
            String role = message.role() == ChatMessage.Role.ASSISTANT ? "assistant" : "user";
            JsonArray content = lastContentOf(messages, role);
            for (JsonObject block : blocks(message)) {
                content.add(block);
            }
        }
        if (system.length() > 0) {
            body.addProperty("system", system.toString());
        }
        body.add("messages", messages);
        if (!request.tools().isEmpty()) {
            JsonArray tools = new JsonArray();
            for (ToolDefinition tool : request.tools()) {
                JsonObject json = new JsonObject();
                json.addProperty("name", tool.name());
                json.addProperty("description", tool.description());
                json.add("input_schema", JsonParser.parseString(tool.inputSchema()));
                tools.add(json);
            }
            body.add("tools", tools);
        }
        return body;
    }

    /** The content array of the last message if it has {@code role}, else of a new message with it. */
    private static JsonArray lastContentOf(JsonArray messages, String role) {
        if (!messages.isEmpty()) {
            JsonObject last = messages.get(messages.size() - 1).getAsJsonObject();
            if (last.get("role").getAsString().equals(role)) {
                return last.getAsJsonArray("content");
            }
        }
        JsonObject message = new JsonObject();
        message.addProperty("role", role);
        JsonArray content = new JsonArray();
        message.add("content", content);
        messages.add(message);
        return content;
    }

    private static java.util.List<JsonObject> blocks(ChatMessage message) {
        java.util.List<JsonObject> blocks = new java.util.ArrayList<>();
        if (message.role() == ChatMessage.Role.TOOL) {
            JsonObject result = new JsonObject();
            result.addProperty("type", "tool_result");
            result.addProperty("tool_use_id", message.toolCallId());
            result.addProperty("content", message.text());
            blocks.add(result);
            return blocks;
        }
        if (!message.text().isEmpty()) {
            JsonObject text = new JsonObject();
            text.addProperty("type", "text");
            text.addProperty("text", message.text());
            blocks.add(text);
        }
        for (ToolCall call : message.toolCalls()) {
            JsonObject use = new JsonObject();
            use.addProperty("type", "tool_use");
            use.addProperty("id", call.id());
            use.addProperty("name", call.name());
            use.add("input", input(call.arguments()));
            blocks.add(use);
        }
        return blocks;
    }

    /** Tool input must be an object; arguments a model got wrong are sent back as they were, under "raw". */
    private static JsonElement input(String arguments) {
        try {
            JsonElement parsed = JsonParser.parseString(arguments);
            if (parsed.isJsonObject()) {
                return parsed;
            }
        } catch (RuntimeException e) {
            // fall through
        }
        JsonObject raw = new JsonObject();
        raw.addProperty("raw", arguments);
        return raw;
    }
}
