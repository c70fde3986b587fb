package io.boxagnts.api.tool;

import java.util.Objects;

/**
 * What a tool declares it needs. The sandbox grants no more than this, and the agent's session mode may grant less.
 * There is deliberately no network or environment permission yet: tools get no network, and of the environment only
 * their grant ({@code BOXAGNTS_WORKSPACE}, decision 0027).
 *
 * @param workspace access to the workspace directory, seen by the tool as its root {@code /}
 */
public record ToolPermissions(WorkspaceAccess workspace) {

    public static final ToolPermissions NONE = new ToolPermissions(WorkspaceAccess.NONE);
    public static final ToolPermissions READ = new ToolPermissions(WorkspaceAccess.READ);
    public static final ToolPermissions WRITE = new ToolPermissions(WorkspaceAccess.WRITE);

    public ToolPermissions {
        Objects.requireNonNull(workspace, "workspace");
    }

    /** Whether a call may change anything on the host; such calls need approval in the default session mode. */
    public boolean writes() {
        return workspace == WorkspaceAccess.WRITE;
    }
}
