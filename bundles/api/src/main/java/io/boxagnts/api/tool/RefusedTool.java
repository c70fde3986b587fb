package io.boxagnts.api.tool;

import java.util.Objects;

/**
 * A bundle that declares a tool the runtime would not run.
 *
 * @param bundle its symbolic name
 * @param bundleVersion its version
 * @param reason what is wrong, in words its author can act on
 */
public record RefusedTool(String bundle, String bundleVersion, String reason) {

    public RefusedTool {
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(bundleVersion, "bundleVersion");
        Objects.requireNonNull(reason, "reason");
    }
}
