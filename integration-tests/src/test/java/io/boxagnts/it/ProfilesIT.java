package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Each distribution profile the build packs (distribution/profiles/*.profile), unpacked from its archive and started
 * as a user starts it, with JAVA_HOME unset and no Java on the PATH: the shipped runtime runs it. Its tool set and
 * defaults are the descriptor's.
 */
public class ProfilesIT {

    private static Path root;
    /** A PATH holding only the commands bin/boxagnts uses, and no java. */
    private static Path noJavaPath;

    @BeforeClass
    public static void prepare() throws IOException {
        root = TempDirs.create("boxagnts-profiles-it");
        noJavaPath = Files.createDirectories(root.resolve("path"));
        for (String command : List.of("sed", "ls", "dirname", "mkdir", "rm", "head", "cat")) {
            Path real = Path.of("/usr/bin", command).toRealPath();
            Files.createSymbolicLink(noJavaPath.resolve(command), real);
        }
    }

    @Test
    public void minimalRunsTheReadOnlyToolsInPlanMode() throws Exception {
        Path dist = unpack("minimal", "tar.gz");
        assertEquals("every archive is one folder named after its profile", "boxagnts-minimal-" + version(),
                dist.getFileName().toString());
        assertTrue(version(dist), version(dist).contains(", minimal distribution ("));
        try (Started started = start(dist)) {
            assertEquals(new TreeSet<>(List.of("glob", "grep", "list_dir", "read_file")), started.tools());
            assertEquals("plan", started.config("io.boxagnts.agent", "defaultMode"));
            assertEquals("read", started.config("io.boxagnts.tools", "workspace"));
            assertTrue(started.process.stdout().toString(), started.process.stdout().stream()
                    .anyMatch(line -> line.startsWith("BoxAgnts " + version() + " (minimal) is ready at ")));
        }
    }

    @Test
    public void developerRunsEveryCoreToolInAskModeAndItsZipWorksToo() throws Exception {
        Path dist = unpack("developer", "zip");
        assertTrue(version(dist), version(dist).contains(", developer distribution ("));
        assertTrue("the class-data archive ships", Files.size(dist.resolve("lib/boxagnts.jsa")) > 0);
        try (Started started = start(dist)) {
            assertEquals(new TreeSet<>(List.of("edit_file", "glob", "grep", "list_dir", "read_file", "write_file")),
                    started.tools());
            // no configuration file: the agent's built-in default, ask, which the console can change
            assertEquals(null, started.config("io.boxagnts.agent", "defaultMode"));
            assertEquals(List.of("README.md"), list(dist.resolve("conf")));
        }
    }

    @Test
    public void enterpriseNeedsAnAdminCredentialAndRunsItsCuratedTools() throws Exception {
        Path dist = unpack("enterprise", "tar.gz");
        assertTrue(version(dist), version(dist).contains(", enterprise distribution ("));
        try (BoxagntsProcess refused = BoxagntsProcess.startIn(dist, environment(), "--workspace-dir",
                Files.createDirectories(root.resolve("enterprise-ws")).toString(), "--data-dir",
                root.resolve("enterprise-refused-data").toString(), "--port", Integer.toString(freePort()))) {
            assertEquals(2, refused.exitCode());
            assertTrue(refused.stderr().toString(), String.join("\n", refused.stderr()).contains(
                    "the enterprise distribution needs an administrator's credential: start it with --admin-token-file"));
        }
        Path adminToken = Files.writeString(root.resolve("admin-token"), "admin-" + "5".repeat(40) + "\n");
        Files.setPosixFilePermissions(adminToken, PosixFilePermissions.fromString("rw-------"));
        try (Started started = start(dist, "--admin-token-file", adminToken.toString())) {
            started.adminToken = "admin-" + "5".repeat(40); // the console is the administrator's
            assertEquals(new TreeSet<>(List.of("edit_file", "glob", "grep", "list_dir", "read_file")), started.tools());
            assertEquals("ask", started.config("io.boxagnts.agent", "defaultMode"));
            assertEquals("0", started.config("io.boxagnts.audit", "retentionDays"));
        }
    }

    /** A started distribution on a fresh workspace, data directory and port. */
    private static final class Started implements AutoCloseable {
        final BoxagntsProcess process;
        final int port;
        String adminToken;

        Started(BoxagntsProcess process, int port) {
            this.process = process;
            this.port = port;
        }

        TreeSet<String> tools() throws Exception {
            String url = "http://127.0.0.1:" + port + "/api/tools";
            TreeSet<String> names = new TreeSet<>();
            Await.until("the tools are up", () -> {
                names.clear();
                for (JsonElement tool : JsonParser.parseString(Http.get(url).body()).getAsJsonObject()
                        .getAsJsonArray("tools")) {
                    names.add(tool.getAsJsonObject().get("name").getAsString());
                }
                Thread.sleep(200); // once a listing repeats itself, the folder's bundles are all in
                return !names.isEmpty() && names.equals(names(Http.get(url).body()));
            });
            return names;
        }

        /**
         * A configuration value as ConfigAdmin holds it (read through the Web Console's configuration JSON), or null
         * when the PID has no configuration.
         */
        String config(String pid, String key) throws Exception {
            java.net.http.HttpRequest.Builder request = Http.request("http://127.0.0.1:" + port
                    + "/system/console/configMgr/*.json");
            if (adminToken != null) {
                request.setHeader("Authorization", "Bearer " + adminToken);
            }
            JsonArray all = JsonParser.parseString(Http.send(request.GET().build()).body()).getAsJsonArray();
            for (JsonElement element : all) {
                JsonObject config = element.getAsJsonObject();
                if (config.get("pid").getAsString().equals(pid)) {
                    return config.getAsJsonObject("properties").getAsJsonObject(key).get("value").getAsString();
                }
            }
            return null;
        }

        @Override
        public void close() {
            process.close();
        }
    }

    private static TreeSet<String> names(String catalog) {
        TreeSet<String> names = new TreeSet<>();
        for (JsonElement tool : JsonParser.parseString(catalog).getAsJsonObject().getAsJsonArray("tools")) {
            names.add(tool.getAsJsonObject().get("name").getAsString());
        }
        return names;
    }

    private static Started start(Path dist, String... options) throws Exception {
        int port = freePort();
        String name = dist.getFileName().toString();
        List<String> args = new ArrayList<>(List.of("--workspace-dir",
                Files.createDirectories(root.resolve(name + "-ws")).toString(), "--data-dir",
                root.resolve(name + "-data").toString(), "--port", Integer.toString(port)));
        args.addAll(List.of(options));
        BoxagntsProcess process = BoxagntsProcess.startIn(dist, environment(), args.toArray(String[]::new));
        try {
            process.awaitReady();
        } catch (Throwable e) {
            process.close();
            throw e;
        }
        return new Started(process, port);
    }

    /** No JAVA_HOME, no BOXAGNTS_JAVA_HOME, no java on the PATH. */
    private static Map<String, String> environment() {
        return Map.of("HOME", root.toString(), "PATH", noJavaPath.toString());
    }

    private static String version(Path dist) throws Exception {
        try (BoxagntsProcess version = BoxagntsProcess.startIn(dist, environment(), "--version")) {
            assertEquals(version.stderr().toString(), 0, version.exitCode());
            return version.stdout().get(0);
        }
    }

    /** The version the build stamped into the archives' names. */
    private static String version() {
        return System.getProperty("boxagnts.version");
    }

    /** Unpacks the profile's archive with the system's own tar or unzip, as a user would. */
    private static Path unpack(String profile, String format) throws Exception {
        Path archive = BoxagntsProcess.DIST.getParent().resolve("boxagnts-" + profile + "-" + version() + "." + format);
        assertTrue(archive + " was built", Files.isRegularFile(archive));
        Path into = Files.createDirectories(root.resolve("unpacked-" + profile));
        List<String> command = format.equals("zip")
                ? List.of("unzip", "-q", archive.toString(), "-d", into.toString())
                : List.of("tar", "-xzf", archive.toString(), "-C", into.toString());
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertEquals(String.join(" ", command), 0, process.waitFor());
        try (DirectoryStream<Path> content = Files.newDirectoryStream(into)) {
            List<Path> folders = new ArrayList<>();
            content.forEach(folders::add);
            assertEquals(folders.toString(), 1, folders.size());
            return folders.get(0);
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
