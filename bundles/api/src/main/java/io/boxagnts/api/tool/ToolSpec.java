package io.boxagnts.api.tool;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The public face of a tool.
 *
 * @param name unique tool name as the model sees it: {@code [a-z][a-z0-9_]{0,63}}
 * @param description one or two sentences for the model and the user
 * @param inputSchema JSON Schema (as JSON text) of the object the tool takes
 * @param permissions what the tool needs from the host
 * @param limits the resource limits each call runs under
 * @param version the tool's own version, e.g. its bundle version
 * @param compact a shorter description and schema for models with a small context window, or null (the agent then
 *     derives one)
 */
public record ToolSpec(
        String name,
        String description,
        String inputSchema,
        ToolPermissions permissions,
        ToolLimits limits,
        String version,
        Compact compact) {

    /**
     * The short form of a tool for small context windows: every token of a tool definition is read before each
     * answer.
     *
     * @param description one short sentence
     * @param inputSchema the schema with what a valid call needs (names, types, required), as JSON text
     */
    public record Compact(String description, String inputSchema) {
        public Compact {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(inputSchema, "inputSchema");
        }
    }

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    public ToolSpec {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("tool name '" + name + "' must match " + NAME.pattern());
        }
        description = Objects.requireNonNullElse(description, "");
        inputSchema = Objects.requireNonNullElse(inputSchema, "{\"type\":\"object\"}");
        permissions = Objects.requireNonNullElse(permissions, ToolPermissions.NONE);
        limits = Objects.requireNonNullElse(limits, ToolLimits.DEFAULT);
        version = Objects.requireNonNullElse(version, "0.0.0");
    }

    public ToolSpec(String name, String description, String inputSchema, ToolPermissions permissions,
            ToolLimits limits, String version) {
        this(name, description, inputSchema, permissions, limits, version, null);
    }
}
