package io.boxagnts.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The core bundles of {@code system/}: installed in place (no copy into the cache) and started. */
final class SystemBundles {

    private static final Logger LOG = LoggerFactory.getLogger(SystemBundles.class);
    private static final String HTTP_SERVER = "org.apache.felix.http.jetty";
    private static final String FILE_INSTALL = "org.apache.felix.fileinstall";

    private SystemBundles() {}

    static List<Bundle> installAndStart(BundleContext context, Path systemDir) throws UsageException {
        List<Path> jars;
        try (Stream<Path> files = Files.list(systemDir)) {
            jars = installOrder(files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList());
        } catch (IOException e) {
            throw new UsageException("the distribution's system/ folder " + systemDir
                    + " cannot be read (" + e.getMessage() + "); reinstall BoxAgnts");
        }
        if (jars.isEmpty()) {
            throw new UsageException("the distribution's system/ folder " + systemDir + " holds no bundles; reinstall BoxAgnts");
        }
        List<Bundle> bundles = new ArrayList<>();
        for (Path jar : jars) {
            try {
                bundles.add(context.installBundle("reference:" + jar.toUri()));
            } catch (BundleException e) {
                LOG.error("core bundle {} cannot be installed: {}", jar.getFileName(), e.getMessage());
            }
        }
        // One resolve pass for all, so optional imports (e.g. SCR's of the log service) wire regardless of order.
        context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(bundles);
        for (Bundle bundle : bundles) {
            if (!isFragment(bundle)) {
                try {
                    bundle.start();
                } catch (BundleException e) {
                    LOG.error("core bundle {} {} did not start: {}", bundle.getSymbolicName(), bundle.getVersion(),
                            e.getMessage(), e);
                }
            }
        }
        return bundles;
    }

    /**
     * FileInstall, then the HTTP server, last. The framework starts bundles in the order they were installed, and SCR
     * registers a started bundle's components as it starts: so by the time FileInstall first looks at the plugins
     * folder, the extension that refuses jars which may not run (io.boxagnts.plugins: not bundles, untrusted under the
     * signed-only policy) is there, and no untrusted jar is installed in the moment before it (decision 0022). By the
     * time Jetty listens SCR has registered the API's context, access check, error page and servlets, and no request
     * meets the server without them (it would get Jetty's HTML 404 page instead of a JSON answer).
     */
    static List<Path> installOrder(List<Path> jars) {
        List<Path> ordered = new ArrayList<>();
        jars.stream().filter(jar -> !startsWith(jar, HTTP_SERVER) && !startsWith(jar, FILE_INSTALL))
                .forEach(ordered::add);
        jars.stream().filter(jar -> startsWith(jar, FILE_INSTALL)).forEach(ordered::add);
        jars.stream().filter(jar -> startsWith(jar, HTTP_SERVER)).forEach(ordered::add);
        return ordered;
    }

    private static boolean startsWith(Path jar, String prefix) {
        return jar.getFileName().toString().startsWith(prefix);
    }

    private static boolean isFragment(Bundle bundle) {
        return (bundle.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }
}
