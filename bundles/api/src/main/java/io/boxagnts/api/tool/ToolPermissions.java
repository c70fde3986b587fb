package io.boxagnts.api.tool;

import java.util.Objects;

/**
 * What a tool declares it needs. The sandbox grants no more than this, and the agent's session mode may grant less.
 * There is deliberately no environment permission: of the environment a tool sees only its grant
 * ({@code BOXAGNTS_WORKSPACE}, decision 0027).
 *
 * @param workspace access to the workspace directory, seen by the tool as its root {@code /}
 * @param network whether it fetches web pages through the host (descriptor {@code "network": "fetch"}); what it may
 *     reach is the web policy's decision, off by default
 */
public record ToolPermissions(WorkspaceAccess workspace, NetworkAccess network) {

    public static final ToolPermissions NONE = new ToolPermissions(WorkspaceAccess.NONE);
    public static final ToolPermissions READ = new ToolPermissions(WorkspaceAccess.READ);
    public static final ToolPermissions WRITE = new ToolPermissions(WorkspaceAccess.WRITE);

    public ToolPermissions {
        Objects.requireNonNull(workspace, "workspace");
        Objects.requireNonNull(network, "network");
    }

    /** Workspace access only, no network. */
    public ToolPermissions(WorkspaceAccess workspace) {
        this(workspace, NetworkAccess.NONE);
    }

    /** Whether a call may change anything on the host; such calls need approval in the default session mode. */
    public boolean writes() {
        return workspace == WorkspaceAccess.WRITE;
    }

    /** Whether the tool is of use only while the web policy lets something be fetched. */
    public boolean fetches() {
        return network == NetworkAccess.FETCH;
    }
}
