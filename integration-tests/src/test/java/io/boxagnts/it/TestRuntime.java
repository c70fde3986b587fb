package io.boxagnts.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The runtime as a user starts it (bin/boxagnts) on a fresh temporary workspace, data and plugins folder (with the
 * shipped tool bundles), on a free port; {@link Http} uses the token of its ready line. Prepare files in
 * {@link #workspace()} or {@link #data()} before {@link #start}.
 */
final class TestRuntime implements AutoCloseable {

    private final Path root;
    private final Path workspace;
    private final int port;
    private BoxagntsProcess process;

    private TestRuntime(Path root, Path workspace, int port) {
        this.root = root;
        this.workspace = workspace;
        this.port = port;
    }

    static TestRuntime prepare(String name) throws IOException {
        Path root = TempDirs.create(name);
        Path workspace = Files.createDirectories(root.resolve("workspace")).toRealPath();
        Files.createDirectories(root.resolve("data"));
        Files.createDirectories(root.resolve("conf"));
        Path plugins = Files.createDirectories(root.resolve("plugins"));
        for (Path jar : RuntimeContainer.toolBundles()) {
            Files.copy(jar, plugins.resolve(jar.getFileName()));
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            return new TestRuntime(root, workspace, socket.getLocalPort());
        }
    }

    /** Starts it with these options besides the folders and the port, and waits until the tools are up. */
    TestRuntime start(String... options) throws Exception {
        return start(Map.of(), options);
    }

    /** The same with these environment variables besides the test JVM's (e.g. {@code BOXAGNTS_JAVA_OPTS}). */
    TestRuntime start(Map<String, String> environment, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("--workspace-dir", workspace.toString(), "--port",
                Integer.toString(port), "--data-dir", data().toString(), "--plugins-dir", root.resolve("plugins").toString(), "--conf-dir",
                conf().toString()));
        args.addAll(List.of(options));
        process = BoxagntsProcess.start(environment, args.toArray(String[]::new));
        process.awaitReady();
        Await.until("the tools are up", () -> Http.get(url("/api/tools")).body().contains("\"write_file\""));
        return this;
    }

    /**
     * Writes 400 small Java files in 20 modules into the workspace: a project big enough that listing it (~37 KB)
     * overflows a small model's context, each file with a TODO for grep to find.
     */
    TestRuntime withProject() throws IOException {
        for (int i = 0; i < 400; i++) {
            Path dir = Files.createDirectories(workspace.resolve("src/module" + (i % 20)));
            Files.writeString(dir.resolve("Service" + i + ".java"), "class Service" + i + " {\n    // TODO(team) split "
                    + "this service " + i + "\n}\n");
        }
        return this;
    }

    Path root() {
        return root;
    }

    Path workspace() {
        return workspace;
    }

    Path data() {
        return root.resolve("data");
    }

    /** The configuration folder it watches (--conf-dir). */
    Path conf() {
        return root.resolve("conf");
    }

    /** Puts a configuration file into conf/ whole (written next to it, then renamed), as a deployment tool would. */
    Path conf(String name, String content) throws IOException {
        return TestBundles.writeWhole(conf().resolve(name), content);
    }

    int port() {
        return port;
    }

    BoxagntsProcess process() {
        return process;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
