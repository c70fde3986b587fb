package io.boxagnts.http;

import io.boxagnts.api.plugins.Plugin;
import io.boxagnts.api.sandbox.EngineInfo;
import java.util.List;
import java.util.Map;

/**
 * The health report, serialised as the body of {@code /api/health}.
 *
 * @param status {@code ok}, {@code starting} (the engine is still being built) or {@code degraded} (see warnings)
 * @param version BoxAgnts release
 * @param uptimeMillis time since the JVM started
 * @param workspace the workspace directory
 * @param engine the WASM engine; {@code implementation} is {@code GraalVM CE} when optimized
 * @param bundles bundle count per state, and the bundles that are not active
 * @param plugins the jars of the plugins folder, with the reason of those that do not run
 * @param warnings what an operator should fix, in plain words
 */
record Health(
        String status,
        String version,
        long uptimeMillis,
        String workspace,
        EngineInfo engine,
        Bundles bundles,
        List<Plugin> plugins,
        List<String> warnings) {

    /** @param states count per state name; @param notActive the bundles that should be active and are not */
    record Bundles(int total, Map<String, Integer> states, List<BundleProblem> notActive) {}

    record BundleProblem(long id, String symbolicName, String version, String state) {}
}
