package io.boxagnts.api.tool;

import java.time.Duration;
import java.util.Objects;

/**
 * What a successful call produced.
 *
 * @param output the result as JSON text, compact enough to hand to a model
 * @param duration how long the call took inside the tool
 */
public record ToolResult(String output, Duration duration) {

    public ToolResult {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(duration, "duration");
    }
}
