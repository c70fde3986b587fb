package io.boxagnts.api.tool;

import java.util.Objects;

/**
 * A tool service and where it comes from.
 *
 * @param tool the service
 * @param bundle symbolic name of the bundle that registered it
 * @param bundleVersion that bundle's version
 */
public record RegisteredTool(Tool tool, String bundle, String bundleVersion) {

    public RegisteredTool {
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(bundleVersion, "bundleVersion");
    }

    public ToolSpec spec() {
        return tool.spec();
    }
}
