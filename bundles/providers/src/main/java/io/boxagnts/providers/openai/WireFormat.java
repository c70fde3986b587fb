package io.boxagnts.providers.openai;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxagnts.api.model.ChatMessage;
import io.boxagnts.api.model.ChatRequest;
import io.boxagnts.api.model.ToolCall;
import io.boxagnts.api.model.ToolDefinition;
import java.util.Locale;

/** Our request types as an OpenAI chat-completions request body. */
final class WireFormat {

    private WireFormat() {}

    static JsonObject request(ChatRequest request) {
        JsonObject body = new JsonObject();
        body.addProperty("model", request.model());
        body.addProperty("stream", true);
        JsonObject streamOptions = new JsonObject();
        streamOptions.addProperty("include_usage", true);
        body.add("stream_options", streamOptions);
        if (request.maxOutputTokens() > 0) {
            body.addProperty("max_tokens", request.maxOutputTokens());
        }
        JsonArray messages = new JsonArray();
        for (ChatMessage message : request.messages()) {
            messages.add(message(message));
        }
        body.add("messages", messages);
        if (!request.tools().isEmpty()) {
            JsonArray tools = new JsonArray();
            for (ToolDefinition tool : request.tools()) {
                tools.add(tool(tool));
            }
            body.add("tools", tools);
        }
        return body;
    }

    private static JsonObject message(ChatMessage message) {
        JsonObject json = new JsonObject();
        json.addProperty("role", message.role().name().toLowerCase(Locale.ROOT));
        json.addProperty("content", message.text());
        if (message.role() == ChatMessage.Role.TOOL) {
            json.addProperty("tool_call_id", message.toolCallId());
        }
        if (!message.toolCalls().isEmpty()) {
            JsonArray calls = new JsonArray();
            for (ToolCall call : message.toolCalls()) {
                JsonObject function = new JsonObject();
                function.addProperty("name", call.name());
                function.addProperty("arguments", call.arguments());
                JsonObject wireCall = new JsonObject();
                wireCall.addProperty("id", call.id());
                wireCall.addProperty("type", "function");
                wireCall.add("function", function);
                calls.add(wireCall);
            }
            json.add("tool_calls", calls);
        }
        return json;
    }

    private static JsonObject tool(ToolDefinition tool) {
        JsonObject function = new JsonObject();
        function.addProperty("name", tool.name());
        function.addProperty("description", tool.description());
        function.add("parameters", JsonParser.parseString(tool.inputSchema()));
        JsonObject json = new JsonObject();
        json.addProperty("type", "function");
        json.add("function", function);
        return json;
    }
}
