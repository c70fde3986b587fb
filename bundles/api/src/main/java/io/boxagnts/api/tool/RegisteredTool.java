package io.boxagnts.api.tool;

import java.util.Objects;

/**
 * A tool service, where it comes from, and what the administrator's policy lets its calls do now.
 *
 * @param tool the service
 * @param bundle symbolic name of the bundle that registered it
 * @param bundleVersion that bundle's version
 * @param enabled whether it may be called at all (a disabled tool is not offered to models, and a call is refused
 *     with {@code PERMISSION_DENIED})
 * @param grant the workspace access and limits its calls get now: what it declares, narrowed or changed by policy
 * @param policy where the policy comes from, in words (the configuration PIDs), or empty when the tool runs as declared
 */
public record RegisteredTool(Tool tool, String bundle, String bundleVersion, boolean enabled, ToolGrant grant,
        String policy) {

    public RegisteredTool {
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(bundleVersion, "bundleVersion");
        Objects.requireNonNull(grant, "grant");
        policy = Objects.requireNonNullElse(policy, "");
    }

    /** A tool running as it declares. */
    public RegisteredTool(Tool tool, String bundle, String bundleVersion) {
        this(tool, bundle, bundleVersion, true, ToolGrant.declared(tool.spec()), "");
    }

    public ToolSpec spec() {
        return tool.spec();
    }
}
