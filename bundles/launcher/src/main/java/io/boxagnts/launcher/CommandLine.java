package io.boxagnts.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parses the command line into {@link LaunchOptions}, or says in one line what is wrong. */
final class CommandLine {

    static final String USAGE = """
            Usage: boxagnts [options]
                   boxagnts audit verify [FILE|DIR]   check the audit log (default: ~/.boxagnts/audit)

            Starts the BoxAgnts runtime and serves its web UI and API on http://HOST:PORT/.

            Options:
              --workspace-dir DIR   the directory the agent works on (default: the current directory)
              --port N              HTTP port (default: 30001)
              --host ADDR           address to bind to (default: 127.0.0.1, reachable from this machine only)
              --data-dir DIR        sessions, configuration and caches (default: ~/.boxagnts)
              --plugins-dir DIR     hot-deploy folder for tool bundles (default: the distribution's plugins/)
              --conf-dir DIR        configuration files (PID.cfg), applied while running (default: the
                                    distribution's conf/)
              --model-url URL       an OpenAI-compatible server to use besides those found on their default ports
                                    (e.g. http://127.0.0.1:8081/v1)
              --access-token-file FILE
                                    the secret the API and UI require (default: DATA-DIR/access-token, generated
                                    at first start); required when --host is not a loopback address
              --admin-token-file FILE
                                    a second secret (32+ characters, chmod 600) that alone may open the Web Console
                                    (/system/console) and /api/admin/; the access token then keeps the UI and the API
              --allowed-hosts NAMES comma-separated host names the server also answers to (e.g. a reverse proxy's)
              --help                print this help and exit
              --version             print the version and exit

            Environment: JAVA_HOME selects the JDK (21 or newer); BOXAGNTS_JAVA_OPTS adds JVM options.
            """;

    /** What to do: run, or just print something. */
    sealed interface Command permits Run, Help, Version {}

    record Run(LaunchOptions options) implements Command {}

    record Help() implements Command {}

    record Version() implements Command {}

    private static final Set<String> VALUED = Set.of(
            "--workspace-dir", "--port", "--host", "--data-dir", "--plugins-dir", "--conf-dir", "--model-url",
            "--access-token-file", "--allowed-hosts", "--admin-token-file");

    private final Path currentDir;
    private final Path userHome;
    private final Path distributionHome;

    CommandLine(Path currentDir, Path userHome, Path distributionHome) {
        this.currentDir = currentDir;
        this.userHome = userHome;
        this.distributionHome = distributionHome;
    }

    Command parse(List<String> args) throws UsageException {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "--help", "-h" -> {
                    return new Help();
                }
                case "--version" -> {
                    return new Version();
                }
                default -> {
                    if (!VALUED.contains(arg)) {
                        throw new UsageException("unknown option '" + args.get(i) + "'; run 'boxagnts --help' for the options");
                    }
                    if (value == null) {
                        if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                            throw new UsageException("option " + arg + " needs a value; run 'boxagnts --help' for the options");
                        }
                        value = args.get(++i);
                    }
                    if (values.put(arg, value) != null) {
                        throw new UsageException("option " + arg + " is given twice");
                    }
                }
            }
        }
        return new Run(options(values));
    }

    private LaunchOptions options(Map<String, String> values) throws UsageException {
        Path workspace = existingDirectory("--workspace-dir", values.getOrDefault("--workspace-dir", "."));
        int port = port(values.getOrDefault("--port", "30001"));
        String host = values.getOrDefault("--host", "127.0.0.1");
        if (host.isBlank()) {
            throw new UsageException("--host must not be empty; use 127.0.0.1 to serve this machine only");
        }
        Path dataDir = creatableDirectory("--data-dir",
                values.getOrDefault("--data-dir", userHome.resolve(".boxagnts").toString()));
        Path pluginsDir = creatableDirectory("--plugins-dir",
                values.getOrDefault("--plugins-dir", distributionHome.resolve("plugins").toString()));
        Path confDir = creatableDirectory("--conf-dir",
                values.getOrDefault("--conf-dir", distributionHome.resolve("conf").toString()));
        for (Path watched : List.of(pluginsDir, confDir)) {
            if (watched.toString().contains(",")) { // FileInstall takes its folders as one comma-separated list
                throw new UsageException("the folder " + watched + " has a comma in its name; BoxAgnts cannot watch it");
            }
        }
        if (confDir.equals(pluginsDir)) {
            throw new UsageException("--conf-dir and --plugins-dir are both " + confDir + "; keep configuration files "
                    + "and bundles in separate folders");
        }
        if (dataDir.startsWith(workspace)) {
            throw new UsageException("--data-dir " + dataDir + " lies inside the workspace " + workspace
                    + "; tools may write to the workspace, so keep BoxAgnts' data outside it");
        }
        String modelUrl = values.getOrDefault("--model-url", "");
        if (!modelUrl.isEmpty() && !modelUrl.matches("https?://[^\\s]+")) {
            throw new UsageException("--model-url '" + modelUrl + "' is not an http(s) URL, e.g. http://127.0.0.1:8081/v1");
        }
        boolean ownToken = values.containsKey("--access-token-file");
        LaunchOptions.Access access = new LaunchOptions.Access(ownToken
                ? resolve("--access-token-file", values.get("--access-token-file")) : dataDir.resolve("access-token"),
                ownToken, hosts(values.getOrDefault("--allowed-hosts", "")),
                values.containsKey("--admin-token-file") ? resolve("--admin-token-file", values.get("--admin-token-file"))
                        : null);
        return new LaunchOptions(workspace, host, port, dataDir, pluginsDir, confDir, modelUrl, access);
    }

    private static List<String> hosts(String text) throws UsageException {
        List<String> hosts = Arrays.stream(text.split(",")).map(String::trim).filter(h -> !h.isEmpty()).toList();
        for (String host : hosts) {
            if (!host.matches("[A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:.]+\\]")) {
                throw new UsageException("--allowed-hosts: '" + host + "' is not a host name (no ports, no schemes)");
            }
        }
        return hosts;
    }

    private static int port(String text) throws UsageException {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--port '" + text + "' is not a port number (1-65535)");
    }

    private Path existingDirectory(String option, String text) throws UsageException {
        Path path = resolve(option, text);
        if (!Files.exists(path)) {
            throw new UsageException(option + " " + path + " does not exist; create it or point to an existing directory");
        }
        if (!Files.isDirectory(path)) {
            throw new UsageException(option + " " + path + " is not a directory");
        }
        return realPath(option, path);
    }

    private Path creatableDirectory(String option, String text) throws UsageException {
        Path path = resolve(option, text);
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(path)) {
            throw new UsageException(option + " " + path + " exists and is not a directory");
        }
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new UsageException(option + " " + path + " cannot be created (" + e.getMessage() + ")");
        }
        if (!Files.isWritable(path)) {
            throw new UsageException(option + " " + path + " is not writable");
        }
        return realPath(option, path);
    }

    private Path resolve(String option, String text) throws UsageException {
        try {
            String expanded = text.equals("~") || text.startsWith("~/")
                    ? userHome + text.substring(1) : text;
            return currentDir.resolve(expanded).normalize();
        } catch (InvalidPathException e) {
            throw new UsageException(option + " '" + text + "' is not a valid path");
        }
    }

    private static Path realPath(String option, Path path) throws UsageException {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new UsageException(option + " " + path + " cannot be read (" + e.getMessage() + ")");
        }
    }
}
