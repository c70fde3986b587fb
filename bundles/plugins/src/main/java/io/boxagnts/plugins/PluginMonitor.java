package io.boxagnts.plugins;

import io.boxagnts.api.plugins.Plugin;
import io.boxagnts.api.plugins.PluginRegistry;
import io.boxagnts.api.runtime.RuntimeProperties;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes, through FileInstall's extension point, the jars of the plugins folder that are not bundles (FileInstall would
 * skip them silently), and reports every plugin's state.
 */
@Component(service = {PluginRegistry.class, ArtifactInstaller.class})
public final class PluginMonitor implements PluginRegistry, ArtifactInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(PluginMonitor.class);

    private final BundleContext context;
    private final Path pluginsDir;
    private final Map<Path, String> refused = new ConcurrentHashMap<>();
    private final PluginFolder folder;

    @Activate
    public PluginMonitor(BundleContext context) {
        this.context = context;
        String dir = Objects.requireNonNullElse(context.getProperty(RuntimeProperties.PLUGINS_DIR),
                Objects.requireNonNullElse(context.getProperty("felix.fileinstall.dir"), "plugins"));
        this.pluginsDir = Path.of(dir).toAbsolutePath().normalize();
        this.folder = new PluginFolder(context, pluginsDir);
    }

    @Override
    public String deploy(String fileName, InputStream jar, long maxBytes) throws IOException {
        String symbolicName = folder.deploy(fileName, jar, maxBytes);
        LOG.info("plugins/{} ({}) written by the admin API", fileName, symbolicName);
        return symbolicName;
    }

    @Override
    public void remove(String fileName) throws IOException {
        folder.remove(fileName);
        LOG.info("plugins/{} deleted by the admin API", fileName);
    }

    @Override
    public boolean canHandle(File artifact) {
        return isPluginJar(artifact) && JarCheck.problem(artifact).isPresent();
    }

    @Override
    public void install(File artifact) {
        refuse(artifact);
    }

    @Override
    public void update(File artifact) {
        refuse(artifact);
    }

    @Override
    public void uninstall(File artifact) {
        if (refused.remove(key(artifact)) != null) {
            LOG.info("plugins/{} removed", artifact.getName());
        }
    }

    private void refuse(File artifact) {
        String problem = JarCheck.problem(artifact).orElse("changed while it was being read; copy it again");
        if (!problem.equals(refused.put(key(artifact), problem))) {
            LOG.warn("plugins/{} refused: {}", artifact.getName(), problem);
        }
    }

    @Override
    public List<Plugin> plugins() {
        List<Plugin> plugins = new ArrayList<>();
        refused.forEach((path, problem) ->
                plugins.add(new Plugin(path.getFileName().toString(), "", "", Plugin.State.REFUSED, problem)));
        FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
        for (Bundle bundle : context.getBundles()) {
            Path location = pluginPath(bundle.getLocation());
            if (location != null) {
                plugins.add(describe(location, bundle, wiring));
            }
        }
        plugins.sort(Comparator.comparing(Plugin::file));
        return List.copyOf(plugins);
    }

    private static Plugin describe(Path file, Bundle bundle, FrameworkWiring wiring) {
        String name = file.getFileName().toString();
        String symbolicName = Objects.requireNonNullElse(bundle.getSymbolicName(), "");
        String version = bundle.getVersion().toString();
        return switch (bundle.getState()) {
            case Bundle.ACTIVE -> new Plugin(name, symbolicName, version, Plugin.State.ACTIVE, "");
            case Bundle.STARTING, Bundle.STOPPING -> new Plugin(name, symbolicName, version, Plugin.State.CHANGING, "");
            case Bundle.INSTALLED -> new Plugin(name, symbolicName, version, Plugin.State.UNRESOLVED,
                    MissingRequirements.describe(bundle, wiring));
            default -> isFragment(bundle)
                    ? new Plugin(name, symbolicName, version, Plugin.State.ACTIVE, "")
                    : new Plugin(name, symbolicName, version, Plugin.State.NOT_STARTED,
                            "resolved but not started: its activation failed (the log has the exception)");
        };
    }

    private static boolean isFragment(Bundle bundle) {
        return bundle.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
    }

    /** FileInstall installs with the file's URI as location; anything else is not from the plugins folder. */
    private Path pluginPath(String location) {
        Path path = locationPath(location);
        return path != null && pluginsDir.equals(path.getParent()) ? path : null;
    }

    /** The file a bundle was installed from, or null when its location is not a file. */
    static Path locationPath(String location) {
        if (location == null || !location.startsWith("file:")) {
            return null;
        }
        try {
            return Path.of(java.net.URI.create(location)).toAbsolutePath().normalize();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private boolean isPluginJar(File file) {
        return file.getName().endsWith(".jar") && pluginsDir.equals(key(file).getParent());
    }

    private static Path key(File file) {
        return file.toPath().toAbsolutePath().normalize();
    }
}
