package io.boxagnts.http;

import io.boxagnts.api.plugins.Plugin;
import io.boxagnts.api.plugins.PluginRegistry;
import io.boxagnts.api.runtime.RuntimeProperties;
import io.boxagnts.api.sandbox.EngineInfo;
import io.boxagnts.api.sandbox.Sandbox;
import io.boxagnts.api.tool.RefusedTool;
import io.boxagnts.api.tool.ToolRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.BundleRevision;

/** Gathers the health report from the framework and the sandbox. */
final class HealthProbe {

    private final BundleContext context;
    private final Clock clock;
    private final long startedAt;
    private final String version;
    private final String workspace;

    HealthProbe(BundleContext context, Clock clock) {
        this.context = context;
        this.clock = clock;
        String started = context.getProperty(RuntimeProperties.STARTED_AT);
        this.startedAt = started == null ? clock.millis() : Long.parseLong(started);
        this.version = Objects.requireNonNullElse(context.getProperty(RuntimeProperties.VERSION), "unknown");
        this.workspace = Objects.requireNonNullElse(context.getProperty(RuntimeProperties.WORKSPACE), "");
    }

    /** Whether the framework has started every core bundle; until then a missing piece is late, not broken. */
    static boolean frameworkStarted(BundleContext context) {
        return context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).getState() == Bundle.ACTIVE;
    }

    Health check(Sandbox sandbox, PluginRegistry pluginRegistry, ToolRegistry toolRegistry) {
        List<String> warnings = new ArrayList<>();
        boolean started = frameworkStarted(context);
        EngineInfo engine = sandbox != null ? sandbox.engine()
                : started ? new EngineInfo(EngineInfo.State.FAILED, "", false, "the sandbox bundle is not running")
                : new EngineInfo(EngineInfo.State.STARTING, "", false, "the sandbox bundle is starting");
        if (engine.state() == EngineInfo.State.FAILED) {
            warnings.add("WASM engine unavailable: " + engine.detail());
        } else if (engine.state() == EngineInfo.State.READY && !engine.optimized()) {
            warnings.add(engine.detail());
        }
        List<Plugin> plugins = pluginRegistry == null ? List.of() : pluginRegistry.plugins();
        Health.Bundles bundles = bundles();
        for (Health.BundleProblem problem : started ? bundles.notActive() : List.<Health.BundleProblem>of()) {
            if (plugins.stream().noneMatch(p -> isSameBundle(p, problem))) {
                warnings.add("bundle " + problem.symbolicName() + " " + problem.version() + " is " + problem.state());
            }
        }
        for (Plugin plugin : plugins) {
            if (!plugin.problem().isEmpty()) {
                warnings.add("plugins/" + plugin.file() + ": " + plugin.problem());
            }
        }
        if (toolRegistry != null) {
            for (RefusedTool refused : toolRegistry.refused()) {
                warnings.add("tool bundle " + refused.bundle() + " " + refused.bundleVersion() + " refused: "
                        + refused.reason());
            }
        }
        String status = !warnings.isEmpty() ? "degraded"
                : !started || engine.state() == EngineInfo.State.STARTING ? "starting" : "ok";
        return new Health(status, version, clock.millis() - startedAt, workspace, engine, bundles, plugins,
                List.copyOf(warnings));
    }

    private static boolean isSameBundle(Plugin plugin, Health.BundleProblem bundle) {
        return plugin.symbolicName().equals(bundle.symbolicName()) && plugin.version().equals(bundle.version());
    }

    private Health.Bundles bundles() {
        Map<String, Integer> states = new TreeMap<>();
        List<Health.BundleProblem> notActive = new ArrayList<>();
        Bundle[] all = context.getBundles();
        for (Bundle bundle : all) {
            String state = stateName(bundle.getState());
            states.merge(state, 1, Integer::sum);
            if (bundle.getState() != Bundle.ACTIVE && !isFragment(bundle)) {
                notActive.add(new Health.BundleProblem(bundle.getBundleId(),
                        String.valueOf(bundle.getSymbolicName()), bundle.getVersion().toString(), state));
            }
        }
        return new Health.Bundles(all.length, states, List.copyOf(notActive));
    }

    private static boolean isFragment(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        return revision != null && (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }

    static String stateName(int state) {
        return switch (state) {
            case Bundle.UNINSTALLED -> "uninstalled";
            case Bundle.INSTALLED -> "installed";
            case Bundle.RESOLVED -> "resolved";
            case Bundle.STARTING -> "starting";
            case Bundle.STOPPING -> "stopping";
            case Bundle.ACTIVE -> "active";
            default -> "unknown";
        };
    }
}
