package io.boxagnts.tools;

import io.boxagnts.api.tool.ToolGrant;
import io.boxagnts.api.tool.ToolLimits;
import io.boxagnts.api.tool.ToolPermissions;
import io.boxagnts.api.tool.ToolSpec;
import io.boxagnts.api.tool.WorkspaceAccess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a tool's calls get now: its declaration, narrowed by the workspace access every tool gets (configuration
 * {@code io.boxagnts.tools}) and by its own policies, with limits changed by them and cut to the sandbox's caps. When
 * several policies name one tool, the strictest value of each wins.
 *
 * @param enabled whether it may be called
 * @param grant the workspace access and limits of its calls
 * @param source where this comes from, in words (configuration PIDs and notes); empty when it runs as declared
 * @param disabledBecause why it is disabled, or empty
 */
record EffectivePolicy(boolean enabled, ToolGrant grant, String source, String disabledBecause) {

    /** The PID of the configuration that applies to every tool. */
    static final String ALL_TOOLS_PID = "io.boxagnts.tools";

    /**
     * @param ceiling the most workspace access any tool gets
     * @param policies the policies configured for this tool
     * @param caps the sandbox's caps, or null when there is no sandbox
     */
    static EffectivePolicy of(ToolSpec spec, WorkspaceAccess ceiling, List<ToolPolicy> policies, ToolLimits caps) {
        List<String> sources = new ArrayList<>();
        WorkspaceAccess access = spec.permissions().workspace();
        if (ceiling.ordinal() < access.ordinal()) {
            access = ceiling;
            sources.add(ALL_TOOLS_PID + " (workspace " + name(ceiling) + " for all tools)");
        }
        boolean enabled = true;
        String disabledBecause = "";
        Duration timeout = null;
        long memory = 0;
        long output = 0;
        for (ToolPolicy policy : policies) {
            sources.add(policy.pid());
            if (!policy.enabled()) {
                enabled = false;
                disabledBecause = policy.problem().isEmpty() ? "disabled by configuration " + policy.pid()
                        : policy.problem();
            }
            if (policy.workspace() != null && policy.workspace().ordinal() < access.ordinal()) {
                access = policy.workspace();
            }
            timeout = policy.timeout() == null ? timeout
                    : timeout == null || policy.timeout().compareTo(timeout) < 0 ? policy.timeout() : timeout;
            memory = strictest(memory, policy.maxMemoryBytes());
            output = strictest(output, policy.maxOutputBytes());
        }
        ToolLimits declared = spec.limits();
        ToolLimits limits = new ToolLimits(timeout == null ? declared.timeout() : timeout,
                memory == 0 ? declared.maxMemoryBytes() : memory, output == 0 ? declared.maxOutputBytes() : output);
        if (caps != null) {
            ToolLimits capped = new ToolLimits(min(limits.timeout(), caps.timeout()),
                    Math.min(limits.maxMemoryBytes(), caps.maxMemoryBytes()),
                    Math.min(limits.maxOutputBytes(), caps.maxOutputBytes()));
            if (!capped.equals(limits)) {
                sources.add("cut to the sandbox's caps (io.boxagnts.sandbox)");
                limits = capped;
            }
        }
        return new EffectivePolicy(enabled,
                new ToolGrant(new ToolPermissions(access, spec.permissions().network()), limits),
                String.join("; ", sources), disabledBecause);
    }

    /** Whether the grant's workspace access is below what the tool declares. */
    boolean narrows(ToolSpec spec) {
        return grant.permissions().workspace().ordinal() < spec.permissions().workspace().ordinal();
    }

    static String name(WorkspaceAccess access) {
        return access.name().toLowerCase(Locale.ROOT);
    }

    private static long strictest(long current, long next) {
        return next == 0 ? current : current == 0 ? next : Math.min(current, next);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
