package io.boxagnts.api.tool;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A finished tool call, as a {@link ToolCallListener} sees it.
 *
 * @param startedAt when the call was made
 * @param callId the request's call id
 * @param origin who asked and why it was allowed
 * @param tool the tool's name
 * @param toolVersion the tool's version
 * @param bundle the symbolic name of the bundle that provides the tool
 * @param input the input as given (JSON text); a listener that keeps it keeps only a digest and a short preview
 * @param error null when the call succeeded, else why it failed or was refused
 * @param duration how long the call took, refusals included
 * @param inputBytes size of the input in UTF-8 bytes
 * @param outputBytes size of the result in UTF-8 bytes (0 when it failed)
 */
public record ToolCallRecord(Instant startedAt, String callId, CallOrigin origin, String tool, String toolVersion,
        String bundle, String input, ToolError error, Duration duration, long inputBytes, long outputBytes) {

    public ToolCallRecord {
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(toolVersion, "toolVersion");
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(duration, "duration");
    }

    public boolean succeeded() {
        return error == null;
    }
}
