package io.boxagnts.api.tool;

import java.time.Duration;
import java.util.Objects;

/**
 * Resource limits of one call. The sandbox enforces them and ends the call with a typed {@link ToolError} when one is
 * exceeded.
 *
 * @param timeout wall-clock time a call may take
 * @param maxMemoryBytes linear memory the module may use
 * @param maxOutputBytes bytes the tool may write to its result
 */
public record ToolLimits(Duration timeout, long maxMemoryBytes, long maxOutputBytes) {

    public static final ToolLimits DEFAULT = new ToolLimits(Duration.ofSeconds(5), 256L << 20, 1L << 20);

    public ToolLimits {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (maxMemoryBytes <= 0 || maxOutputBytes <= 0) {
            throw new IllegalArgumentException("memory and output limits must be positive");
        }
    }
}
