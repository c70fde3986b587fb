package io.boxagnts.api.tool;

import java.util.Objects;

/**
 * What one call of a tool may use: the workspace access and the limits it runs under. The tool registry hands each
 * call the grant the administrator's policy leaves (configuration {@code io.boxagnts.tool.policy}); a tool never
 * gives a call more workspace access than its {@link ToolSpec} declares, whatever the grant says.
 *
 * @param permissions what the call may touch
 * @param limits what the call may use; within the runtime's caps, and possibly above what the tool declared
 */
public record ToolGrant(ToolPermissions permissions, ToolLimits limits) {

    public ToolGrant {
        Objects.requireNonNull(permissions, "permissions");
        Objects.requireNonNull(limits, "limits");
    }

    /** What the tool declares, unchanged. */
    public static ToolGrant declared(ToolSpec spec) {
        return new ToolGrant(spec.permissions(), spec.limits());
    }
}
