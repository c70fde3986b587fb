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
 */
public record ToolSpec(
        String name,
        String description,
        String inputSchema,
        ToolPermissions permissions,
        ToolLimits limits,
        String version) {

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
}
