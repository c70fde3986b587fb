package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
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
 * as a user starts it, with JAVA_HOME and HOME unset and no Java on the PATH: the shipped runtime runs it. Its tool set and
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
            Await.until("the default ports are probed", () -> JsonParser.parseString(Http.get(started.url(
                    "/api/providers")).body()).getAsJsonObject().getAsJsonArray("servers").size() > 0);
            assertTrue("users may change providers", !Http.get(started.url("/api/providers")).body()
                    .contains("changesReserved"));

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
                root.resolve("enterprise-refused-data").toString(), "--port",
                Integer.toString(BoxagntsProcess.freePort()))) {
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

            // No outbound host but the model servers the administrator configures (decision 0032): no discovery, and a
            // user's change of the providers refused with the reason; the administrator's credential may.
            assertEquals("false", started.config("io.boxagnts.providers", "discovery"));
            assertEquals("false", started.config("io.boxagnts.providers", "userChanges"));
            JsonObject providers = JsonParser.parseString(Http.get(started.url("/api/providers")).body())
                    .getAsJsonObject();
            assertEquals("no default port probed", 0, providers.getAsJsonArray("servers").size());
            String reserved = "the model providers of this distribution are the administrator's (configuration "
                    + "io.boxagnts.providers: userChanges=false): an administrator changes them with the admin token, "
                    + "on the console's Configuration page or with a file in conf/";
            assertEquals(reserved, providers.get("changesReserved").getAsString());
            String gpuBox = "{\"type\":\"openai\",\"baseUrl\":\"http://gpu-box.example:8000/v1\"}";
            Http.Response byUser = started.send("PUT", "/api/providers/configured/gpu-box", gpuBox, null);
            assertEquals(byUser.body(), 403, byUser.status());
            assertEquals(reserved, JsonParser.parseString(byUser.body()).getAsJsonObject().getAsJsonObject("error")
                    .get("message").getAsString());
            assertEquals(403, started.send("DELETE", "/api/providers/configured/gpu-box", null, null).status());
            Http.Response byAdmin = started.send("PUT", "/api/providers/configured/gpu-box", gpuBox,
                    started.adminToken);
            assertEquals(byAdmin.body(), 200, byAdmin.status());
            assertTrue(Http.get(started.url("/api/providers")).body().contains("http://gpu-box.example:8000/v1"));
            assertEquals(204, started.send("DELETE", "/api/providers/configured/gpu-box", null, started.adminToken)
                    .status());
            // the provider service goes away after the answer (the file is applied asynchronously): the turn below
            // must not still find it (a fresh-clone CI run did once)
            Await.until("the gpu-box provider is gone", () -> !Http.get(started.url("/api/providers")).body()
                    .contains("gpu-box"));
            // and a turn without a model says whom to ask, not to start a local server
            String session = JsonParser.parseString(Http.post(started.url("/api/sessions"), "{\"title\":\"t\"}")
                    .body()).getAsJsonObject().get("id").getAsString();
            Http.Response turn = Http.post(started.url("/api/sessions/" + session + "/messages"), "{\"text\":\"hi\"}");
            assertEquals(turn.body(), 503, turn.status());
            assertTrue(turn.body(), turn.body().contains("this runtime looks for no local model server (configuration "
                    + "io.boxagnts.providers: discovery=false): the administrator configures the model servers"));

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

    /**
     * A trusted tool overwritten in place (same file name) goes through FileInstall's update, not its install: the
     * resolver hook checks the content the framework took in and refuses it, and the old tool is gone (decision
     * 0031); the trusted jar put back brings it back. A bundle installed through the Web Console is checked the same.
     */
    @Test
    public void enterpriseRefusesATrustedToolOverwrittenInPlaceAndAnythingTheConsoleInstalls() throws Exception {
        Path dist = unpack("enterprise", "tar.gz", "overwrite");
        Path adminToken = Files.writeString(root.resolve("admin-token-overwrite"), "admin-" + "6".repeat(40) + "\n");
        Files.setPosixFilePermissions(adminToken, PosixFilePermissions.fromString("rw-------"));
        Path plugins = dist.resolve("plugins");
        Path grep = shippedJar(plugins, "io.boxagnts.tool.grep-");
        String file = grep.getFileName().toString();
        Path trusted = Files.copy(grep, root.resolve("trusted-" + System.nanoTime() + ".jar"));
        try (Started started = start(dist, "--admin-token-file", adminToken.toString())) {
            started.adminToken = "admin-" + "6".repeat(40);
            TreeSet<String> curated = new TreeSet<>(List.of("edit_file", "glob", "grep", "list_dir", "read_file"));
            assertEquals(curated, started.tools());
            TreeSet<String> withoutGrep = new TreeSet<>(curated);
            withoutGrep.remove("grep");

            String altered = "altered after signing: SHA-256 digest error for grep.wasm";
            replace(tampered(plugins), grep);
            Await.until("the overwritten grep is refused", () -> started.refused().containsKey(file));
            assertEquals("io.boxagnts.tool.grep: " + altered, started.refused().get(file));
            assertEquals("the old grep is gone, and nothing of the new one runs", withoutGrep, started.tools());
            String warnings = JsonParser.parseString(Http.get(started.url("/api/health")).body()).getAsJsonObject()
                    .getAsJsonArray("warnings").toString();
            assertTrue(warnings, warnings.contains("plugins/" + file + ": " + altered));
            String audit = Http.get(started.url("/api/audit?type=admin&limit=1000")).body();
            assertTrue(audit, audit.contains(altered) && audit.contains("\"file\":\"" + file + "\""));
            String page = started.asAdmin("/system/console/tools");
            assertTrue(page, page.contains(file) && page.contains("SHA-256 digest error for grep.wasm"));
            List<String> log = new ArrayList<>(started.process.stdout());
            log.addAll(started.process.stderr());
            assertTrue(log.toString(), log.stream().anyMatch(line -> line.contains("plugins/" + file + " refused: "
                    + altered)));

            replace(signedBy("foreign", unsignedCopy(trusted)), grep);
            Await.until("re-signed by an unknown key, refused", () -> started.refused().getOrDefault(file, "")
                    .startsWith("io.boxagnts.tool.grep: signed by an unknown publisher: 'CN=Someone Else'"));
            assertEquals(withoutGrep, started.tools());

            replace(unsignedCopy(trusted), grep);
            Await.until("unsigned, refused", () -> ("io.boxagnts.tool.grep: not signed: this distribution runs only "
                    + "plugins signed by a trusted publisher (trust policy signed-only)").equals(
                            started.refused().get(file)));
            assertEquals(withoutGrep, started.tools());

            replace(trusted, grep);
            Await.until("the trusted grep is back", () -> started.tools().contains("grep"));
            assertEquals(curated, started.tools());
            assertEquals(Map.of(), started.refused());

            // The Web Console's own install, which FileInstall and the admin API's checks never see.
            assertEquals(302, started.consoleInstall(unsignedEcho()));
            Await.until("the echo installed through the console is refused", () -> started.refused().values()
                    .stream().anyMatch(reason -> reason.equals("test.tool.echo: not signed: this distribution runs "
                            + "only plugins signed by a trusted publisher (trust policy signed-only)")));
            assertEquals(curated, started.tools());

            // Each refusal is one log line with its reason; FileInstall's own line about it (no reason) is left out.
            List<String> all = new ArrayList<>(started.process.stdout());
            all.addAll(started.process.stderr());
            assertTrue(all.toString(), all.stream().anyMatch(line -> line.contains(
                    "bundle inputstream:console-echo.jar refused: not signed")));
            assertTrue(all.toString(), all.stream().noneMatch(line -> line.contains("fileinstall")
                    && line.contains("Resolver hook prevented resolution")));
        }
    }

    /** Replaces a jar of the plugins folder in place: the same name, other content (whole, as a copy tool does). */
    private static void replace(Path content, Path target) throws IOException {
        Path temp = Files.createTempFile(target.getParent().getParent(), "replace", ".part");
        Files.copy(content, temp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The jar without its signature: the manifest's digests and the signature files dropped. */
    private static Path unsignedCopy(Path signed) throws IOException {
        Path out = root.resolve("unsigned-" + System.nanoTime() + ".jar");
        try (java.util.jar.JarFile in = new java.util.jar.JarFile(signed.toFile())) {
            java.util.jar.Manifest manifest = new java.util.jar.Manifest(in.getManifest());
            manifest.getEntries().clear(); // the per-entry digests are the signature's
            try (java.util.jar.JarOutputStream jar = new java.util.jar.JarOutputStream(Files.newOutputStream(out),
                    manifest)) {
                copyUnsigned(in, jar);
            }
        }
        return out;
    }

    private static void copyUnsigned(java.util.jar.JarFile in, java.util.jar.JarOutputStream jar)
            throws IOException {
        for (java.util.jar.JarEntry entry : java.util.Collections.list(in.entries())) {
            if (!entry.getName().startsWith("META-INF/")) {
                jar.putNextEntry(new java.util.zip.ZipEntry(entry.getName()));
                jar.write(in.getInputStream(entry).readAllBytes());
            }
        }
    }

    /** The hostile suite's echo module as an unsigned tool bundle, test.tool.echo. */
    private static Path unsignedEcho() throws IOException {
        return TestBundles.toolBundle(Files.createDirectories(root.resolve("bundles-" + System.nanoTime())), "echo",
                TestBundles.hostileModule("echo"), "none", 5000);
    }

    /** The echo bundle signed by a publisher the distribution does not know. */
    private static Path foreignSigned() throws Exception {
        return signedBy("foreign", unsignedEcho());
    }

    /** The jar signed by a key made here by keytool, 'CN=Someone Else', which no distribution trusts. */
    private static Path signedBy(String alias, Path jar) throws Exception {
        Path store = jar.resolveSibling(alias + "-" + System.nanoTime() + ".p12");
        jdkTool("keytool", "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass",
                "foreign-pass", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "30",
                "-dname", "CN=Someone Else");
        jdkTool("jarsigner", "-keystore", store.toString(), "-storepass", "foreign-pass", jar.toString(), alias);
        return jar;
    }

    /** A shipped core tool bundle (signed by the build) with one byte of its .wasm changed. */
    private static Path tampered(Path plugins) throws IOException {
        Path grep = shippedJar(plugins, "io.boxagnts.tool.grep-");
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

    private static Path shippedJar(Path plugins, String prefix) throws IOException {
        try (java.util.stream.Stream<Path> jars = Files.list(plugins)) {
            return jars.filter(j -> j.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow();
        }
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

        /** A request with a JSON body (or none), with the admin token, or with the access token when that is null. */
        Http.Response send(String method, String path, String json, String token) throws Exception {
            java.net.http.HttpRequest.Builder request = Http.request(url(path));
            if (token != null) {
                request.setHeader("Authorization", "Bearer " + token);
            }
            request.header("Content-Type", "application/json");
            return Http.send(request.method(method, json == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                    : java.net.http.HttpRequest.BodyPublishers.ofString(json)).build());
        }

        /** Installs and starts a bundle through the Web Console's install form; its answer's status. */
        int consoleInstall(Path jar) throws Exception {
            String boundary = "boundary" + System.nanoTime();
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            for (String[] field : List.of(new String[] {"action", "install"}, new String[] {"bundlestart", "start"})) {
                body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field[0]
                        + "\"\r\n\r\n" + field[1] + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"bundlefile\"; filename=\""
                    + "console-echo.jar\"\r\nContent-Type: application/java-archive\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            body.writeBytes(Files.readAllBytes(jar));
            body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            java.net.http.HttpRequest.Builder request = Http.request(url("/system/console/bundles"));
            request.setHeader("Authorization", "Bearer " + adminToken);
            request.setHeader("Content-Type", "multipart/form-data; boundary=" + boundary);
            return Http.send(request.POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                    .build()).status();
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
        int port = BoxagntsProcess.freePort();
        String name = dist.getParent().getFileName().toString(); // one per unpacked copy
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

    /**
     * No JAVA_HOME, no BOXAGNTS_JAVA_HOME, no java on the PATH, and no HOME either (env -i, some service managers):
     * bin/boxagnts must not need it.
     */
    private static Map<String, String> environment() {
        return Map.of("PATH", noJavaPath.toString());
    }

    private static String version(Path dist) throws Exception {
        try (BoxagntsProcess version = BoxagntsProcess.startIn(dist, environment(), "--version")) {
            assertEquals(version.stderr().toString(), 0, version.exitCode());
            return version.stdout().get(0);
        }
    }

    /** The version the build stamped into the archives' names. */
    private static String version() {
        return DistributionArchives.version();
    }

    /** Unpacks the profile's archive with the system's own tar or unzip, as a user would. */
    private static Path unpack(String profile, String format) throws Exception {
        return unpack(profile, format, "");
    }

    /** @param copy names a second copy of the same profile, for a test that changes its folders */
    private static Path unpack(String profile, String format, String copy) throws Exception {
        return DistributionArchives.unpack(DistributionArchives.of(profile, format),
                root.resolve("unpacked-" + profile + copy));
    }

    private static List<String> list(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
