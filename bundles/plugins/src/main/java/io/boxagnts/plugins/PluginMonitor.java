package io.boxagnts.plugins;

import io.boxagnts.api.audit.AdminAction;
import io.boxagnts.api.audit.AuditLog;
import io.boxagnts.api.plugins.Plugin;
import io.boxagnts.api.plugins.PluginRegistry;
import io.boxagnts.api.runtime.RuntimeProperties;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.hooks.resolver.ResolverHook;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes, through FileInstall's extension point, the jars of the plugins folder that may not run: those that are not
 * bundles (FileInstall would skip them silently) and, under the {@code signed-only} trust policy, those not signed by
 * a trusted publisher or altered since (FileInstall asks its extensions before installing a jar as a bundle, so such
 * a jar is never installed). Each is refused once, with its reason, in the log and the audit log; it reports every
 * plugin's state. Under {@code signed-only} it is also a resolver hook ({@link ContentTrust}): whatever else brings
 * a bundle's content in (FileInstall's update of a jar overwritten in place, the Web Console) is checked on the
 * content the framework holds before the bundle can resolve (decision 0031).
 */
@Component(service = {PluginRegistry.class, ArtifactInstaller.class, ResolverHookFactory.class})
public final class PluginMonitor implements PluginRegistry, ArtifactInstaller, ResolverHookFactory {

    private static final Logger LOG = LoggerFactory.getLogger(PluginMonitor.class);
    private static final String REFERENCE = "reference:";

    private final BundleContext context;
    private final Path pluginsDir;
    /** A jar of the plugins folder that may not run: its name and version when its manifest says them, and why. */
    private record Refusal(String symbolicName, String version, String problem) {}

    private final Map<Path, Refusal> refused = new ConcurrentHashMap<>();
    private final PluginFolder folder;
    private final PublisherTrust trust;
    private final ContentTrust contentTrust;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AuditLog audit;

    @Activate
    public PluginMonitor(BundleContext context) {
        this.context = context;
        String dir = Objects.requireNonNullElse(context.getProperty(RuntimeProperties.PLUGINS_DIR),
                Objects.requireNonNullElse(context.getProperty("felix.fileinstall.dir"), "plugins"));
        this.pluginsDir = Path.of(dir).toAbsolutePath().normalize();
        String trustDir = context.getProperty(RuntimeProperties.TRUST_DIR);
        this.trust = PublisherTrust.of(context.getProperty(RuntimeProperties.TRUST_POLICY),
                trustDir == null ? null : Path.of(trustDir));
        this.folder = new PluginFolder(context, pluginsDir, trust);
        this.contentTrust = new ContentTrust(trust, distribution(context), this::refuse);
        LOG.info("plugins/: {}", trust.describe());
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
    public ResolverHook begin(Collection<BundleRevision> triggers) {
        return contentTrust.hook();
    }

    /**
     * The distribution's own bundles, which the launcher installed in place from its system/ folder before this
     * bundle started ({@code reference:} locations there); every other bundle's content must be trusted.
     */
    private static Predicate<Bundle> distribution(BundleContext context) {
        Set<Path> systemDirs = new HashSet<>();
        for (Bundle bundle : context.getBundles()) {
            Path path = bundle.getLocation().startsWith(REFERENCE) ? locationPath(bundle.getLocation().substring(
                    REFERENCE.length())) : null;
            if (path != null) {
                systemDirs.add(path.getParent());
            }
        }
        return bundle -> {
            String location = bundle.getLocation();
            Path path = location.startsWith(REFERENCE) ? locationPath(location.substring(REFERENCE.length())) : null;
            return path != null && systemDirs.contains(path.getParent());
        };
    }

    @Override
    public boolean canHandle(File artifact) {
        return isPluginJar(artifact) && problem(artifact).isPresent();
    }

    /** Why a jar of the plugins folder may not run: not a bundle, or not trusted. */
    private Optional<String> problem(File artifact) {
        return JarCheck.problem(artifact).or(() -> trust.problem(artifact));
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
        String problem = problem(artifact).orElse("changed while it was being read; copy it again");
        Refusal refusal = refusal(artifact, problem);
        if (!refusal.equals(refused.put(key(artifact), refusal))) {
            report("plugins/" + artifact.getName(), artifact.getName(), refusal);
        }
    }

    /** A bundle whose content the resolver hook refused (once per revision). */
    private void refuse(Bundle bundle, String problem) {
        String file = fileName(bundle);
        report(pluginPath(bundle.getLocation()) != null ? "plugins/" + file : "bundle " + bundle.getLocation(), file,
                new Refusal(Objects.requireNonNullElse(bundle.getSymbolicName(), ""), bundle.getVersion().toString(),
                        problem));
    }

    /** @param what the jar as the log names it: its file in plugins/, or where another installer took it from */
    private void report(String what, String file, Refusal refusal) {
        LOG.warn("{} refused: {}", what, refusal.problem());
        AuditLog log = audit;
        if (log != null) {
            log.record(new AdminAction("plugins folder", "refuse", refusal.symbolicName().isEmpty() ? file
                    : refusal.symbolicName(), Map.of("file", file, "version", refusal.version(), "reason",
                            refusal.problem())));
        }
    }

    /** The refusal, with the jar's name and version when its manifest can be read at all. */
    private static Refusal refusal(File artifact, String problem) {
        try (JarFile jar = new JarFile(artifact, false)) {
            java.util.jar.Attributes main = jar.getManifest() == null ? null : jar.getManifest().getMainAttributes();
            String name = main == null ? null : main.getValue(Constants.BUNDLE_SYMBOLICNAME);
            String version = main == null ? null : main.getValue(Constants.BUNDLE_VERSION);
            return new Refusal(name == null ? "" : name.split(";")[0].trim(), version == null ? "" : version.trim(),
                    problem);
        } catch (IOException | RuntimeException e) {
            return new Refusal("", "", problem);
        }
    }

    @Override
    public List<Plugin> plugins() {
        List<Plugin> plugins = new ArrayList<>();
        refused.forEach((path, refusal) -> plugins.add(new Plugin(path.getFileName().toString(),
                refusal.symbolicName(), refusal.version(), Plugin.State.REFUSED, refusal.problem())));
        FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
        for (Bundle bundle : context.getBundles()) {
            Optional<String> untrusted = bundle.getState() == Bundle.INSTALLED ? contentTrust.refusal(bundle)
                    : Optional.empty();
            Path location = pluginPath(bundle.getLocation());
            if (untrusted.isPresent() && (location == null || !refused.containsKey(location))) {
                // from the plugins folder or elsewhere (the Web Console): installed, but it may not resolve
                plugins.add(new Plugin(fileName(bundle), bundle.getSymbolicName(), bundle.getVersion().toString(),
                        Plugin.State.REFUSED, untrusted.get()));
            } else if (location != null) {
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

    /** The name of the file a bundle came from: the last part of its location. */
    private static String fileName(Bundle bundle) {
        String location = bundle.getLocation();
        return location.substring(location.lastIndexOf('/') + 1);
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
