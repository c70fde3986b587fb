package io.boxagnts.it;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;

import io.boxagnts.launcher.AccessTokenFile;
import io.boxagnts.launcher.BuildInfo;
import io.boxagnts.launcher.FrameworkProperties;
import io.boxagnts.launcher.LaunchOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ops4j.pax.exam.Option;

/**
 * The Pax Exam configuration of a real BoxAgnts container: the core bundles the distribution ships in
 * {@code system/}, configured by the launcher's own {@link FrameworkProperties}, with a fresh workspace, data and
 * plugins folder and a free port.
 */
final class RuntimeContainer {

    static final Path DIST = Path.of(System.getProperty("boxagnts.dist"));

    private RuntimeContainer() {}

    static Option[] options() throws IOException {
        return options("");
    }

    /** @param modelUrl an OpenAI-compatible server for the agent, as --model-url gives it, or empty */
    static Option[] options(String modelUrl) throws IOException {
        Path root = TempDirs.create("boxagnts-it");
        Path workspace = Files.createDirectories(root.resolve("workspace")).toRealPath();
        Path data = Files.createDirectories(root.resolve("data")).toRealPath();
        LaunchOptions launch = new LaunchOptions(workspace, "127.0.0.1", freePort(), data,
                Files.createDirectories(root.resolve("plugins")).toRealPath(),
                Files.createDirectories(root.resolve("conf")).toRealPath(), modelUrl, LaunchOptions.Access.local(data));
        try {
            AccessTokenFile.readOrCreate(launch.access().tokenFile(), true);
        } catch (Exception e) { // not UsageException by name: this class is loaded in the container too
            throw new IOException(e.getMessage(), e);
        }
        Map<String, Object> properties = FrameworkProperties.of(launch, BuildInfo.load(), System.currentTimeMillis());

        List<Option> options = new ArrayList<>();
        properties.forEach((key, value) -> {
            switch (key) {
                // Pax Exam manages the cache and adds its own packages to the system bundle's exports.
                case "org.osgi.framework.storage", "org.osgi.framework.storage.clean" -> { }
                // Pax Exam takes string properties only; Felix then logs to stdout instead of SLF4J.
                case "felix.log.logger" -> { }
                case "org.osgi.framework.system.packages.extra" ->
                        options.add(systemPackages(((String) value).split(",")));
                default -> options.add(frameworkProperty(key).value(value));
            }
        });
        for (Path jar : systemBundles()) {
            options.add(bundle(jar.toUri().toString()));
        }
        options.add(junitBundles());
        return options.toArray(Option[]::new);
    }

    static List<Path> systemBundles() throws IOException {
        return jars(DIST.resolve("system"));
    }

    /** The tool bundles the distribution ships in plugins/. */
    static List<Path> toolBundles() throws IOException {
        return jars(DIST.resolve("plugins"));
    }

    private static List<Path> jars(Path dir) throws IOException {
        try (Stream<Path> jars = Files.list(dir)) {
            return jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
