package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** The unpacked distribution started with bin/boxagnts, as a user starts it, and used over HTTP. */
public class DistributionIT {

    private static Path plugins;
    private static Path workspace;
    private static int port;
    private static BoxagntsProcess boxagnts;

    @BeforeClass
    public static void start() throws Exception {
        Path root = TempDirs.create("boxagnts-dist-it");
        workspace = Files.createDirectories(root.resolve("workspace")).toRealPath();
        plugins = Files.createDirectories(root.resolve("plugins")).toRealPath();
        port = freePort();
        for (Path jar : RuntimeContainer.toolBundles()) {
            Files.copy(jar, plugins.resolve(jar.getFileName()));
        }
        Files.writeString(workspace.resolve("README.md"), "# Demo\nTODO: fix the tpyo\n");
        boxagnts = BoxagntsProcess.start("--workspace-dir", workspace.toString(), "--port", Integer.toString(port),
                "--data-dir", root.resolve("data").toString(), "--plugins-dir", plugins.toString());
        boxagnts.awaitReady();
    }

    @AfterClass
    public static void stop() throws Exception {
        if (boxagnts != null) {
            boxagnts.close();
        }
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    @Test
    public void printsTheUrlToOpenAndAnswersHealth() throws Exception {
        assertTrue(boxagnts.stdout().toString(),
                boxagnts.stdout().stream().anyMatch(l -> l.contains("http://127.0.0.1:" + port + "/")));
        Await.until("the engine is ready", () -> health().getAsJsonObject("engine").get("state").getAsString()
                .equals("READY"));
        JsonObject health = health();
        assertEquals(workspace.toString(), health.get("workspace").getAsString());
        assertTrue("optimized: " + health, health.getAsJsonObject("engine").get("optimized").getAsBoolean());
        assertTrue(boxagnts.stderr().toString(),
                boxagnts.stderr().stream().anyMatch(l -> l.contains("WASM engine: GraalWasm on GraalVM CE")));
    }


    @Test
    public void listensOnLoopbackOnly() throws Exception {
        Optional<InetAddress> external = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
        org.junit.Assume.assumeTrue("this machine has no non-loopback IPv4 address to try", external.isPresent());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(external.get(), port), 2000);
            throw new AssertionError("the runtime answered on " + external.get() + ":" + port);
        } catch (ConnectException expected) {
            // refused: nothing listens there
        }
    }

    @Test
    public void aBrokenPluginIsLoggedOnceWithItsReasonAndTheRuntimeKeepsServing() throws Exception {
        Path scratch = TempDirs.create("broken");
        TestBundles.drop(TestBundles.unresolvable(scratch), plugins, "unresolvable.jar");
        TestBundles.drop(TestBundles.notAZip(scratch), plugins, "garbage.jar");
        // The good fixture dropped last: once it is live, the watcher has long seen the broken ones.
        TestBundles.drop(TestBundles.hello(), plugins, "hello.jar");
        Await.until("hello.jar runs", () -> plugin("hello.jar").contains("\"ACTIVE\""));
        Thread.sleep(1000); // twenty polls of the plugins folder: time enough to repeat a message, if it would

        List<String> unresolvable = linesMentioning("unresolvable.jar");
        assertEquals(unresolvable.toString(), 1, unresolvable.size());
        assertTrue(unresolvable.get(0), unresolvable.get(0).contains("does.not.exist"));
        List<String> garbage = linesMentioning("garbage.jar");
        assertEquals(garbage.toString(), 1, garbage.size());
        assertTrue(garbage.get(0), garbage.get(0).contains("not a jar"));

        assertTrue(plugin("unresolvable.jar").contains("does.not.exist"));
        assertTrue(plugin("garbage.jar").contains("REFUSED"));
        assertEquals(200, Http.get(url("/api/health")).status());

        Files.delete(plugins.resolve("unresolvable.jar"));
        Files.delete(plugins.resolve("garbage.jar"));
        Files.delete(plugins.resolve("hello.jar"));
        Await.until("the three plugins are gone", () -> plugin("unresolvable.jar").isEmpty()
                && plugin("garbage.jar").isEmpty() && plugin("hello.jar").isEmpty());
    }

    @Test
    public void theCoreToolsAreListedAndCallableOverHttp() throws Exception {
        int shipped = RuntimeContainer.toolBundles().size();
        Await.until("the " + shipped + " core tools are listed", () -> tools().size() == shipped);
        String catalog = Http.get(url("/api/tools")).body();
        assertTrue(catalog, catalog.contains("\"name\":\"edit_file\"") && catalog.contains("\"workspace\":\"write\"")
                && catalog.contains("\"bundle\":\"io.boxagnts.tool.grep\""));

        Http.Response grep = Http.post(url("/api/tools/grep/invoke"), "{\"pattern\":\"TODO\"}");
        assertEquals(grep.body(), 200, grep.status());
        assertTrue(grep.body(), grep.body().contains("fix the tpyo"));

        Http.Response edit = Http.post(url("/api/tools/edit_file/invoke"),
                "{\"path\":\"README.md\",\"old_string\":\"tpyo\",\"new_string\":\"typo\"}");
        assertEquals(edit.body(), 200, edit.status());
        assertEquals("# Demo\nTODO: fix the typo\n", Files.readString(workspace.resolve("README.md")));

        Http.Response created = Http.post(url("/api/tools/write_file/invoke"),
                "{\"path\":\"notes/2026/plan.md\",\"content\":\"- ship\\n\"}");
        assertEquals(created.body(), 200, created.status());
        assertEquals("- ship\n", Files.readString(workspace.resolve("notes/2026/plan.md")));

        Http.Response shell = Http.post(url("/api/tools/shell/invoke"),
                "{\"command\":\"grep -c TODO README.md && wc -l < notes/2026/plan.md\"}");
        assertEquals(shell.body(), 200, shell.status());
        assertTrue(shell.body(), shell.body().contains("{\"exit_code\":0,\"truncated\":false,\"stdout\":\"1\\n1\\n\""));

        assertEquals(400, Http.post(url("/api/tools/read_file/invoke"), "{not json").status());
        assertEquals(404, Http.post(url("/api/tools/no_such_tool/invoke"), "{}").status());
        Http.Response missing = Http.post(url("/api/tools/read_file/invoke"), "{\"path\":\"nope.txt\"}");
        assertEquals(422, missing.status());
        assertTrue(missing.body(), missing.body().contains("TOOL_FAILED") && missing.body().contains("no such file"));
    }

    @Test
    public void aToolComesAndGoesWithItsBundle() throws Exception {
        Await.until("glob is listed", () -> tools().contains("glob"));
        Path glob = plugins.resolve("io.boxagnts.tool.glob-0.1.0.jar");
        Path parked = Files.move(glob, plugins.getParent().resolve(glob.getFileName()),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Await.until("glob is gone", () -> !tools().contains("glob"));
        assertEquals(404, Http.post(url("/api/tools/glob/invoke"), "{\"pattern\":\"*\"}").status());
        TestBundles.drop(parked, plugins, glob.getFileName().toString());
        Await.until("glob is back", () -> tools().contains("glob"));
        assertEquals(200, Http.post(url("/api/tools/glob/invoke"), "{\"pattern\":\"*.md\"}").status());
    }

    private static List<String> tools() throws Exception {
        return JsonParser.parseString(Http.get(url("/api/tools")).body()).getAsJsonObject().getAsJsonArray("tools")
                .asList().stream().map(t -> t.getAsJsonObject().get("name").getAsString()).toList();
    }

    private static List<String> linesMentioning(String text) {
        return boxagnts.stderr().stream().filter(l -> l.contains(text)).toList();
    }

    private static String plugin(String file) throws Exception {
        return health().getAsJsonArray("plugins").asList().stream()
                .filter(p -> p.getAsJsonObject().get("file").getAsString().equals(file))
                .map(Object::toString).findFirst().orElse("");
    }

    private static JsonObject health() throws Exception {
        Http.Response response = Http.get(url("/api/health"));
        assertEquals(200, response.status());
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
