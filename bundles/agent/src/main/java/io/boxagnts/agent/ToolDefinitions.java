package io.boxagnts.agent;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxagnts.api.model.ToolDefinition;
import io.boxagnts.api.tool.ToolSpec;
import java.util.Map;
import java.util.Set;

/**
 * Tools as offered to the model, in full or in their short form for small context windows. The short form is the
 * one the tool's descriptor carries, else one derived from the full form: the description's first sentence, and the
 * schema without the descriptions, defaults and bounds of its properties (names, types, enums and what is required
 * stay: that is what a call needs to be valid).
 */
final class ToolDefinitions {

    /** Schema keywords a valid call needs; the rest (descriptions, defaults, bounds, examples) is for reading. */
    private static final Set<String> KEPT = Set.of("type", "properties", "required", "enum", "items", "anyOf", "oneOf");

    private ToolDefinitions() {}

    static ToolDefinition full(ToolSpec spec) {
        return new ToolDefinition(spec.name(), spec.description(), spec.inputSchema());
    }

    static ToolDefinition compact(ToolSpec spec) {
        if (spec.compact() != null) {
            return new ToolDefinition(spec.name(), spec.compact().description(), spec.compact().inputSchema());
        }
        return new ToolDefinition(spec.name(), firstSentence(spec.description()), compactSchema(spec.inputSchema()));
    }

    static String firstSentence(String description) {
        int end = description.indexOf(". ");
        return end < 0 ? description : description.substring(0, end + 1);
    }

    static String compactSchema(String schema) {
        try {
            JsonElement json = JsonParser.parseString(schema);
            return json.isJsonObject() ? strip(json.getAsJsonObject()).toString() : schema;
        } catch (RuntimeException e) {
            return schema; // not ours to fix: the full form goes
        }
    }

    private static JsonObject strip(JsonObject schema) {
        JsonObject kept = new JsonObject();
        for (Map.Entry<String, JsonElement> entry : schema.entrySet()) {
            if (!KEPT.contains(entry.getKey())) {
                continue;
            }
            if (entry.getKey().equals("properties") && entry.getValue().isJsonObject()) {
                JsonObject properties = new JsonObject();
                entry.getValue().getAsJsonObject().entrySet().forEach(p -> properties.add(p.getKey(),
                        p.getValue().isJsonObject() ? strip(p.getValue().getAsJsonObject()) : p.getValue()));
                kept.add("properties", properties);
            } else if (entry.getKey().equals("items") && entry.getValue().isJsonObject()) {
                kept.add("items", strip(entry.getValue().getAsJsonObject()));
            } else {
                kept.add(entry.getKey(), entry.getValue());
            }
        }
        return kept;
    }
}
