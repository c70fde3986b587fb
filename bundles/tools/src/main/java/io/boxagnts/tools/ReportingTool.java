package io.boxagnts.tools;

import io.boxagnts.api.tool.Tool;
import io.boxagnts.api.tool.ToolCallListener;
import io.boxagnts.api.tool.ToolCallRecord;
import io.boxagnts.api.tool.ToolError;
import io.boxagnts.api.tool.ToolException;
import io.boxagnts.api.tool.ToolRequest;
import io.boxagnts.api.tool.ToolResult;
import io.boxagnts.api.tool.ToolSpec;
import io.boxagnts.api.tool.WorkspaceAccess;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tool as the registry hands it out: every call, whoever makes it (the agent, the HTTP API, the console), runs under
 * the administrator's policy as it stands at that moment, and is reported to the {@link ToolCallListener}s when it
 * ends. The registry is the one place all calls pass, so this is where they are governed and seen, without the callers
 * or the tool knowing.
 */
final class ReportingTool implements Tool {

    private static final Logger LOG = LoggerFactory.getLogger(ReportingTool.class);

    private final Tool tool;
    private final String bundle;
    private final List<ToolCallListener> listeners;
    private final Function<ToolSpec, EffectivePolicy> policies;
    private final Clock clock;

    /**
     * @param listeners a live view of the listeners registered now
     * @param policies what a tool's calls get now
     */
    ReportingTool(Tool tool, String bundle, List<ToolCallListener> listeners,
            Function<ToolSpec, EffectivePolicy> policies, Clock clock) {
        this.tool = tool;
        this.bundle = bundle;
        this.listeners = listeners;
        this.policies = policies;
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
        ToolSpec spec = tool.spec();
        EffectivePolicy policy = policies.apply(spec);
        ToolRequest governed;
        try {
            governed = governed(request, spec, policy);
        } catch (ToolException e) {
            report(request, startedAt, started, e.error(), 0);
            throw e;
        }
        try {
            ToolResult result = tool.invoke(governed);
            report(request, startedAt, started, null, utf8Length(result.output()));
            return result;
        } catch (ToolException e) {
            ToolException reported = e.error().kind() == ToolError.Kind.PERMISSION_DENIED && policy.narrows(spec)
                    ? narrowed(e, spec, policy) : e;
            report(request, startedAt, started, reported.error(), 0);
            throw reported;
        } catch (RuntimeException e) {
            report(request, startedAt, started, new ToolError(ToolError.Kind.INTERNAL, e.toString()), 0);
            throw e;
        }
    }

    /**
     * The request under the policy's grant, or a refusal: a disabled tool, or one that needs the workspace and was
     * granted none, does not run at all.
     */
    private static ToolRequest governed(ToolRequest request, ToolSpec spec, EffectivePolicy policy)
            throws ToolException {
        if (!policy.enabled()) {
            throw new ToolException(ToolError.Kind.PERMISSION_DENIED, spec.name() + " is disabled by the "
                    + "administrator (" + policy.disabledBecause() + ")");
        }
        if (policy.narrows(spec) && policy.grant().permissions().workspace() == WorkspaceAccess.NONE) {
            throw new ToolException(ToolError.Kind.PERMISSION_DENIED, spec.name() + " needs to "
                    + (spec.permissions().writes() ? "change" : "read") + " the workspace, and the administrator "
                    + "granted it no access (" + policy.source() + ")");
        }
        return request.withGrant(policy.grant());
    }

    /** A refusal the tool met because its grant was narrowed says so, and where the narrowing is configured. */
    private static ToolException narrowed(ToolException e, ToolSpec spec, EffectivePolicy policy) {
        return new ToolException(new ToolError(ToolError.Kind.PERMISSION_DENIED, e.error().message() + " (the "
                + "administrator granted " + spec.name() + " " + EffectivePolicy.name(policy.grant().permissions()
                        .workspace()) + " access to the workspace: " + policy.source() + ")"), e);
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
