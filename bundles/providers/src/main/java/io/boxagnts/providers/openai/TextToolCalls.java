package io.boxagnts.providers.openai;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxagnts.api.model.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tool calls that a model wrote as text instead of structured calls, as Qwen-style chat templates make small local
 * models do: {@code <tool_call>{"name": "grep", "arguments": {...}}</tool_call>}. Only well-formed calls are taken;
 * anything else stays text.
 */
final class TextToolCalls {

    private static final Pattern CALL = Pattern.compile("<tool_call>\\s*(\\{.*?})\\s*</tool_call>", Pattern.DOTALL);

    record Extracted(List<ToolCall> calls, String remainingText) {}

    private TextToolCalls() {}

    static Extracted extract(String text) {
        List<ToolCall> calls = new ArrayList<>();
        StringBuilder remaining = new StringBuilder();
        Matcher matcher = CALL.matcher(text);
        int last = 0;
        while (matcher.find()) {
            ToolCall call = parse(matcher.group(1), calls.size());
            if (call == null) {
                continue;
            }
            calls.add(call);
            remaining.append(text, last, matcher.start());
            last = matcher.end();
        }
        remaining.append(text.substring(last));
        return new Extracted(List.copyOf(calls), calls.isEmpty() ? text : remaining.toString().strip());
    }

    private static ToolCall parse(String json, int index) {
        try {
            JsonObject object = JsonParser.parseString(json).getAsJsonObject();
            if (!object.has("name")) {
                return null;
            }
            JsonElement arguments = object.has("arguments") ? object.get("arguments") : new JsonObject();
            String argumentsText = arguments.isJsonPrimitive() ? arguments.getAsString() : arguments.toString();
            return new ToolCall("text_call_" + index, object.get("name").getAsString(), argumentsText);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
