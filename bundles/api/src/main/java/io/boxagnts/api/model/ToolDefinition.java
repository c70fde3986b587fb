package io.boxagnts.api.model;

import java.util.Objects;

/**
 * A tool as offered to a model.
 *
 * @param name tool name
 * @param description what it does
 * @param inputSchema JSON Schema of its input, as JSON text
 */
public record ToolDefinition(String name, String description, String inputSchema) {

    public ToolDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(inputSchema, "inputSchema");
    }
}
