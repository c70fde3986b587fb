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
 * defaults are the descriptor's. The enterprise one (signed-only) refuses an unsigned, a foreign-signed and a tampered
 * tool bundle before any of it runs, with the reason in /api/tools, /api/health, the audit log and the console; the
 * developer one (any) runs the unsigned one.
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
            assertEquals(new TreeSet<>(List.of("edit_file", "glob", "grep", "js", "list_dir", "read_file", "shell",
                    "web_fetch", "write_file")), started.tools());
            // no configuration file: the agent's built-in default, ask, which the console can change
            assertEquals(null, started.config("io.boxagnts.agent", "defaultMode"));
            assertEquals(List.of("README.md"), list(dist.resolve("conf")));

            // trust any: an unsigned tool bundle runs
            TestBundles.drop(unsignedEcho(), dist.resolve("plugins"), "unsigned-echo.jar");
            Await.until("the unsigned echo tool runs", () -> started.tools().contains("echo"));
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
        // Present before the start: refused before FileInstall could install them (it starts after the refusing
        // extension); the core tools, signed by the build with the TEST-ONLY key the distribution trusts, run.
        Path plugins = dist.resolve("plugins");
        TestBundles.drop(unsignedEcho(), plugins, "unsigned-echo.jar");
        TestBundles.drop(tampered(plugins), plugins, "grep-tampered.jar");
        try (Started started = start(dist, "--admin-token-file", adminToken.toString())) {
            started.adminToken = "admin-" + "5".repeat(40); // the console is the administrator's
            assertEquals(new TreeSet<>(List.of("edit_file", "glob", "grep", "list_dir", "read_file")), started.tools());
            assertEquals("ask", started.config("io.boxagnts.agent", "defaultMode"));
            assertEquals("0", started.config("io.boxagnts.audit", "retentionDays"));
            assertEquals("no outbound host for tools", "false", started.config("io.boxagnts.webfetch", "enabled"));

            // Dropped while it runs: signed, but by a key the trust store does not hold.
            TestBundles.drop(foreignSigned(), plugins, "foreign-echo.jar");
            String notSigned = "not signed: this distribution runs only plugins signed by a trusted publisher "
                    + "(trust policy signed-only)";
            String foreign = "signed by an unknown publisher: 'CN=Someone Else' is not in the trust store "
                    + dist.resolve("trust") + " (trust policy signed-only)";
            String altered = "altered after signing: SHA-256 digest error for grep.wasm";
            Await.until("the three are refused in /api/tools", () -> started.refused().size() == 3);
            assertEquals(Map.of("unsigned-echo.jar", "test.tool.echo: " + notSigned,
                    "foreign-echo.jar", "test.tool.echo: " + foreign,
                    "grep-tampered.jar", "io.boxagnts.tool.grep: " + altered), started.refused());
            assertEquals("nothing of them runs", new TreeSet<>(List.of("edit_file", "glob", "grep", "list_dir",
                    "read_file")), started.tools());

            JsonObject health = JsonParser.parseString(Http.get(started.url("/api/health")).body()).getAsJsonObject();
            String warnings = health.getAsJsonArray("warnings").toString();
            assertTrue(warnings, warnings.contains("plugins/unsigned-echo.jar: " + notSigned));
            assertTrue(warnings, warnings.contains("plugins/foreign-echo.jar: signed by an unknown publisher"));
            assertTrue(warnings, warnings.contains("plugins/grep-tampered.jar: " + altered));

            String audit = Http.get(started.url("/api/audit?type=admin&limit=1000")).body();
            for (String reason : List.of(notSigned, altered, "signed by an unknown publisher: 'CN=Someone Else'")) {
                assertTrue(reason + " in " + audit, audit.contains(reason.replace("'", "\u0027")));
            }
            String page = started.asAdmin("/system/console/audit?tool=test.tool.echo");
            assertTrue(page, page.contains("signed by an unknown publisher") && page.contains("not signed"));
            String tools = started.asAdmin("/system/console/tools");
            assertTrue(tools, tools.contains("grep-tampered.jar") && tools.contains("SHA-256 digest error for grep.wasm"));
        }
    }

    /** The hostile suite's echo module as an unsigned tool bundle, test.tool.echo. */
    private static Path unsignedEcho() throws IOException {
        return TestBundles.toolBundle(Files.createDirectories(root.resolve("bundles-" + System.nanoTime())), "echo",
                TestBundles.hostileModule("echo"), "none", 5000);
    }

    /** The echo bundle signed by a publisher the distribution does not know (a key made here by keytool). */
    private static Path foreignSigned() throws Exception {
        Path jar = unsignedEcho();
        Path store = jar.resolveSibling("foreign.p12");
        jdkTool("keytool", "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass",
                "foreign-pass", "-alias", "foreign", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "30",
                "-dname", "CN=Someone Else");
        jdkTool("jarsigner", "-keystore", store.toString(), "-storepass", "foreign-pass", jar.toString(), "foreign");
        return jar;
    }

    /** A shipped core tool bundle (signed by the build) with one byte of its .wasm changed. */
    private static Path tampered(Path plugins) throws IOException {
        Path grep;
        try (java.util.stream.Stream<Path> jars = Files.list(plugins)) {
            grep = jars.filter(j -> j.getFileName().toString().startsWith("io.boxagnts.tool.grep-")).findFirst()
                    .orElseThrow();
        }
        Path out = root.resolve("grep-tampered-" + System.nanoTime() + ".jar");
        try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(grep.toFile());
                java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(out))) {
            for (java.util.zip.ZipEntry entry : java.util.Collections.list(in.entries())) {
                byte[] bytes = in.getInputStream(entry).readAllBytes();
                if (entry.getName().equals("grep.wasm")) {
                    bytes[bytes.length / 2] ^= 1;
                }
                zip.putNextEntry(new java.util.zip.ZipEntry(entry.getName()));
                zip.write(bytes);
            }
        }
        return out;
    }

    private static void jdkTool(String tool, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", tool)
                .toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(output, 0, process.waitFor());
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

        String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }

        /** file -> "bundle: reason" of each refused jar of the plugins folder, as /api/tools lists them. */
        Map<String, String> refused() throws Exception {
            Map<String, String> refused = new java.util.TreeMap<>();
            for (JsonElement element : JsonParser.parseString(Http.get(url("/api/tools")).body()).getAsJsonObject()
                    .getAsJsonArray("refused")) {
                JsonObject entry = element.getAsJsonObject();
                refused.put(entry.has("file") ? entry.get("file").getAsString() : "", entry.get("bundle").getAsString()
                        + ": " + entry.get("reason").getAsString());
            }
            return refused;
        }

        /** A page of the Web Console, with the admin token. */
        String asAdmin(String path) throws Exception {
            java.net.http.HttpRequest.Builder request = Http.request(url(path));
            request.setHeader("Authorization", "Bearer " + adminToken);
            return Http.send(request.GET().build()).body();
        }

        /**
         * A configuration value as ConfigAdmin holds it (read through the Web Console's configuration JSON), or null
         * when the PID has no configuration.
         */
        String config(String pid, String key) throws Exception {
            String json = adminToken == null ? Http.get(url("/system/console/configMgr/*.json")).body()
                    : asAdmin("/system/console/configMgr/*.json");
            JsonArray all = JsonParser.parseString(json).getAsJsonArray();
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
