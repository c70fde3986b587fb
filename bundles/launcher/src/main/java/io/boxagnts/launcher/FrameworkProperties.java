package io.boxagnts.launcher;

import io.boxagnts.api.runtime.RuntimeProperties;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Turns launch options into the properties Felix and the core bundles read at start. */
public final class FrameworkProperties {

    /** GraalWasm's public API, exported from the class path so that bundles share the JVM's one Truffle runtime. */
    private static final List<String> GRAAL_PACKAGES = List.of(
            "org.graalvm.polyglot", "org.graalvm.polyglot.io", "org.graalvm.polyglot.proxy",
            "org.graalvm.polyglot.management", "org.graalvm.options");

    /** SLF4J from the class path: its provider is found by ServiceLoader there, no SPI Fly weaving needed. */
    private static final List<String> SLF4J_PACKAGES = List.of(
            "org.slf4j", "org.slf4j.spi", "org.slf4j.helpers", "org.slf4j.event");

    /**
     * SLF4J 2 also serves callers built against 1.7 (the Web Console imports {@code org.slf4j [1.7,2)}); its own bundle
     * manifest exports these packages at 1.7.36 for them too, and so does the system bundle here.
     */
    private static final List<String> SLF4J_1_PACKAGES = List.of("org.slf4j", "org.slf4j.helpers");
    private static final String SLF4J_1_VERSION = "1.7.36";

    private FrameworkProperties() {}

    /** A runtime outside any distribution (no profile, no trust store), as the Pax Exam container runs it. */
    public static Map<String, Object> of(LaunchOptions options, BuildInfo build, long startedAt) {
        return of(options, build, startedAt, DistributionProfile.NONE, null);
    }

    /**
     * @param profile which distribution runs
     * @param home the distribution's folder, whose {@code trust/} holds the publishers' certificates; null for none
     */
    public static Map<String, Object> of(LaunchOptions options, BuildInfo build, long startedAt,
            DistributionProfile profile, Path home) {
        Map<String, Object> p = new HashMap<>();
        // Felix itself. The cache is rebuilt at each start: system/ and plugins/ are the truth, never a stale cache.
        p.put("org.osgi.framework.storage", options.dataDir().resolve("cache/felix").toString());
        p.put("org.osgi.framework.storage.clean", "onFirstInit");
        p.put("org.osgi.framework.system.packages.extra",
                exports(GRAAL_PACKAGES, build.graalVersion()) + "," + exports(SLF4J_PACKAGES, build.slf4jVersion())
                        + "," + exports(SLF4J_1_PACKAGES, SLF4J_1_VERSION));
        p.put("felix.log.logger", new Slf4jFrameworkLogger());
        p.put("felix.log.level", "2");

        // HTTP: Felix HTTP on Jetty 12. The user's address is io.boxagnts.http's connector (ApiConnector), which opens
        // it once every answer on it is JSON. Felix's own connector, which it opens before its servlet context can
        // answer anything but an HTML 404, is a throwaway on a free loopback port that ApiConnector closes again
        // (decision 0034); it cannot be switched off: without it Felix starts no Jetty at all.
        p.put(RuntimeProperties.HTTP_HOST, options.host());
        p.put(RuntimeProperties.HTTP_PORT, Integer.toString(options.port()));
        p.put("org.osgi.service.http.port", "0");
        p.put("org.apache.felix.http.host", "127.0.0.1");
        p.put("org.apache.felix.http.enable", "true");
        p.put("org.apache.felix.https.enable", "false");
        p.put("org.apache.felix.http.jetty.sendServerHeader", "false");
        p.put("org.apache.felix.http.name", "boxagnts");

        // The Web Console at /system/console registers only once BoxAgnts' security provider (io.boxagnts.console) is
        // there: never a moment with its built-in admin/admin.
        p.put("felix.webconsole.security.providers", "boxagnts");
        p.put("felix.webconsole.manager.root", "/system/console");

        // Declarative Services and configuration
        p.put("ds.loglevel", "warn");
        p.put("felix.cm.dir", options.dataDir().resolve("config").toString());

        // Hot deploy: FileInstall polls plugins/ often, so a dropped bundle is live in a fraction of a second; it
        // also applies the configuration files of conf/ (PID.cfg, FACTORY-NAME.cfg) through ConfigAdmin. Files are
        // never written back: FileInstall's write-back races its own 50 ms scan, which can read the file half
        // rewritten and empty it (a policy file could lose enabled=false). A file is what runs (decision 0016).
        p.put("felix.fileinstall.dir", options.pluginsDir() + "," + options.confDir());
        p.put("felix.fileinstall.poll", "50");
        p.put("felix.fileinstall.noInitialDelay", "true");
        p.put("felix.fileinstall.filter", ".*\\.(jar|cfg|config)");
        p.put("felix.fileinstall.bundles.new.start", "true");
        p.put("felix.fileinstall.enableConfigSave", "false");
        p.put("felix.fileinstall.log.level", "2");
        // FileInstall's scratch folder, in the framework cache (emptied at every start) instead of /tmp, where a
        // killed runtime would leave one behind each time.
        p.put("felix.fileinstall.tmpdir", options.dataDir().resolve("cache/felix").toString());

        // BoxAgnts
        p.put(RuntimeProperties.VERSION, build.version());
        p.put(RuntimeProperties.PROFILE, profile.name());
        p.put(RuntimeProperties.TRUST_POLICY, profile.trust());
        if (home != null) {
            p.put(RuntimeProperties.TRUST_DIR, home.resolve("trust").toString());
        }
        p.put(RuntimeProperties.WORKSPACE, options.workspace().toString());
        p.put(RuntimeProperties.DATA_DIR, options.dataDir().toString());
        p.put(RuntimeProperties.PLUGINS_DIR, options.pluginsDir().toString());
        p.put(RuntimeProperties.STARTED_AT, Long.toString(startedAt));
        p.put(RuntimeProperties.ACCESS_TOKEN_FILE, options.access().tokenFile().toString());
        if (options.access().adminTokenFile() != null) {
            p.put(RuntimeProperties.ADMIN_TOKEN_FILE, options.access().adminTokenFile().toString());
        }
        if (!options.access().allowedHosts().isEmpty()) {
            p.put(RuntimeProperties.ALLOWED_HOSTS, String.join(",", options.access().allowedHosts()));
        }
        if (!options.modelUrl().isEmpty()) {
            p.put(RuntimeProperties.MODEL_URL, options.modelUrl());
        }
        return p;
    }

    private static String exports(List<String> packages, String version) {
        return packages.stream().map(name -> name + ";version=" + version).collect(Collectors.joining(","));
    }
}
