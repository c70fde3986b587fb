package io.boxagnts.tools;

import io.boxagnts.api.tool.Tool;
import io.boxagnts.api.tool.ToolCallListener;
import io.boxagnts.api.tool.ToolCallRecord;
import io.boxagnts.api.tool.ToolError;
import io.boxagnts.api.tool.ToolException;
import io.boxagnts.api.tool.ToolRequest;
import io.boxagnts.api.tool.ToolResult;
import io.boxagnts.api.tool.ToolSpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tool as the registry hands it out: every call, whoever makes it (the agent, the HTTP API), is reported to the
 * {@link ToolCallListener}s when it ends. The registry is the one place all calls pass, so this is where they are
 * seen, without the callers or the tool knowing.
 */
final class ReportingTool implements Tool {

    private static final Logger LOG = LoggerFactory.getLogger(ReportingTool.class);

    private final Tool tool;
    private final String bundle;
    private final List<ToolCallListener> listeners;
    private final Clock clock;

    /** @param listeners a live view of the listeners registered now */
    ReportingTool(Tool tool, String bundle, List<ToolCallListener> listeners, Clock clock) {
        this.tool = tool;
        this.bundle = bundle;
        this.listeners = listeners;
        this.clock = clock;
    }

    @Override
    public ToolSpec spec() {
        return tool.spec();
    }

    @Override
    public ToolResult invoke(ToolRequest request) throws ToolException {
        Instant startedAt = clock.instant();
        long started = System.nanoTime();
        try {
            ToolResult result = tool.invoke(request);
            report(request, startedAt, started, null, utf8Length(result.output()));
            return result;
        } catch (ToolException e) {
            report(request, startedAt, started, e.error(), 0);
            throw e;
        } catch (RuntimeException e) {
            report(request, startedAt, started, new ToolError(ToolError.Kind.INTERNAL, e.toString()), 0);
            throw e;
        }
    }

    private void report(ToolRequest request, Instant startedAt, long started, ToolError error, long outputBytes) {
        if (listeners.isEmpty()) {
            return;
        }
        ToolSpec spec = tool.spec();
        ToolCallRecord call = new ToolCallRecord(startedAt, request.callId(), request.origin(), spec.name(),
                spec.version(), bundle, request.input(), error, Duration.ofNanos(System.nanoTime() - started),
                utf8Length(request.input()), outputBytes);
        for (ToolCallListener listener : listeners) {
            try {
                listener.toolCalled(call);
            } catch (RuntimeException e) {
                LOG.error("tool call listener {} failed on {} call {}", listener, spec.name(), request.callId(), e);
            }
        }
    }

    static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
