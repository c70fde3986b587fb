package io.boxagnts.api.model;

import java.util.Objects;

/**
 * A model's request to call a tool.
 *
 * @param id the call id, echoed in the tool result message
 * @param name the tool name
 * @param arguments the arguments as JSON text, exactly as the model produced them (possibly invalid)
 */
public record ToolCall(String id, String name, String arguments) {

    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        arguments = Objects.requireNonNullElse(arguments, "{}");
    }
}
