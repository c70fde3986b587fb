package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The admin API of a runtime started with bin/boxagnts, as a script uses it: every tool with its policy and call
 * statistics; a narrowed grant, a lowered limit and a disabled tool refuse the next call; a tool bundle uploaded
 * over HTTP runs, a broken one is refused with its reason, a removed one goes; a policy file in conf/ shows, and
 * the API refuses to change it (the file is changed instead); and every action is in the audit log with who did it.
 */
public class AdminApiIT {

    private static TestRuntime runtime;

    @BeforeClass
    public static void start() throws Exception {
        runtime = TestRuntime.prepare("boxagnts-admin-it");
        Files.writeString(runtime.workspace().resolve("big.txt"), "b".repeat(20_000));
        runtime.start();
    }

    @AfterClass
    public static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private static Http.Response call(String method, String path, String body) throws Exception {
        return Http.send(Http.request(runtime.url(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static Http.Response upload(String file, HttpRequest.BodyPublisher jar) throws Exception {
        return Http.send(Http.request(runtime.url("/api/admin/bundles?file=" + java.net.URLEncoder.encode(file,
                java.nio.charset.StandardCharsets.UTF_8))).header("Content-Type", "application/java-archive")
                .POST(jar).build());
    }

    private static JsonObject json(Http.Response response) {
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    private static JsonObject tool(String name) throws Exception {
        Http.Response response = Http.get(runtime.url("/api/admin/tools/" + name));
        assertEquals(response.body(), 200, response.status());
        return json(response);
    }

    private static JsonObject invoke(String tool, String input, int status) throws Exception {
        Http.Response response = Http.post(runtime.url("/api/tools/" + tool + "/invoke"), input);
        assertEquals(response.body(), status, response.status());
        return json(response);
    }

    private static JsonArray adminRecords(Instant since) throws Exception {
        return json(Http.get(runtime.url("/api/audit?type=admin&limit=1000&since=" + since))).getAsJsonArray("records");
    }

    private static JsonObject action(JsonArray records, String action, String subject) {
        for (JsonElement record : records) {
            JsonObject object = record.getAsJsonObject();
            if (object.get("action").getAsString().equals(action) && object.get("subject").getAsString().equals(subject)) {
                return object;
            }
        }
        throw new AssertionError("no '" + action + "' of " + subject + " in " + records);
    }

    @Test
    public void everyToolIsListedWithItsBundlePolicyAndCalls() throws Exception {
        invoke("read_file", "{\"path\":\"big.txt\"}", 200);
        invoke("read_file", "{\"path\":\"no-such-file\"}", 422);
        JsonObject overview = json(Http.get(runtime.url("/api/admin/tools")));
        assertEquals(RuntimeContainer.toolBundles().size(), overview.getAsJsonArray("tools").size());
        assertTrue(overview.getAsJsonObject("caps").get("timeoutMs").getAsLong() > 0);
        JsonObject read = tool("read_file");
        assertEquals("io.boxagnts.tool.read_file", read.get("bundle").getAsString());
        assertTrue(read.get("file").getAsString().endsWith(".jar"));
        assertEquals("ACTIVE", read.get("bundleState").getAsString());
        assertEquals("enabled", read.get("state").getAsString());
        assertEquals("read", read.getAsJsonObject("declared").get("workspace").getAsString());
        assertEquals(read.get("declared"), read.get("granted"));
        JsonObject stats = read.getAsJsonObject("stats");
        assertTrue(stats.toString(), stats.get("calls").getAsLong() >= 2);
        assertTrue(stats.toString(), stats.get("errors").getAsLong() >= 1);
        assertTrue(stats.toString(), stats.get("p50Ms").getAsDouble() > 0);
        assertTrue(stats.toString(), stats.get("p99Ms").getAsDouble() >= stats.get("p50Ms").getAsDouble());
        assertEquals(404, Http.get(runtime.url("/api/admin/tools/no_such_tool")).status());
        assertEquals(405, call("DELETE", "/api/admin/tools/read_file/enable", null).status());
    }

    @Test
    public void aNarrowedGrantALoweredLimitAndADisabledToolRefuseTheNextCall() throws Exception {
        Instant since = Instant.now().minusSeconds(1);
        Http.Response narrowed = call("PUT", "/api/admin/tools/write_file/grant", "{\"workspace\":\"read\"}");
        assertEquals(narrowed.body(), 200, narrowed.status());
        assertEquals("read", json(narrowed).getAsJsonObject("granted").get("workspace").getAsString());
        JsonObject refused = invoke("write_file", "{\"path\":\"w.txt\",\"content\":\"x\"}", 403);
        assertEquals("PERMISSION_DENIED", refused.getAsJsonObject("error").get("kind").getAsString());
        assertTrue(refused.toString(), refused.toString().contains("io.boxagnts.tool.policy~write_file"));
        assertFalse(Files.exists(runtime.workspace().resolve("w.txt")));
        assertEquals(400, call("PUT", "/api/admin/tools/read_file/grant", "{\"workspace\":\"write\"}").status());
        assertEquals(200, call("DELETE", "/api/admin/tools/write_file/policy", null).status());
        invoke("write_file", "{\"path\":\"w.txt\",\"content\":\"x\"}", 200);

        assertEquals(200, call("PUT", "/api/admin/tools/read_file/limits", "{\"maxOutputKb\":4}").status());
        JsonObject tooLarge = invoke("read_file", "{\"path\":\"big.txt\"}", 422);
        assertEquals("OUTPUT_TOO_LARGE", tooLarge.getAsJsonObject("error").get("kind").getAsString());
        Http.Response aboveCap = call("PUT", "/api/admin/tools/read_file/limits", "{\"timeoutMs\":99999999}");
        assertEquals(aboveCap.body(), 400, aboveCap.status());
        assertTrue(aboveCap.body(), aboveCap.body().contains("cap"));
        assertEquals(200, call("PUT", "/api/admin/tools/read_file/limits", "{\"maxOutputKb\":null}").status());
        invoke("read_file", "{\"path\":\"big.txt\"}", 200);

        assertEquals(200, call("POST", "/api/admin/tools/grep/disable", null).status());
        assertEquals("disabled", tool("grep").get("state").getAsString());
        JsonObject disabled = invoke("grep", "{\"pattern\":\"b\"}", 403);
        assertTrue(disabled.toString(), disabled.toString().contains("grep is disabled by the administrator"));
        assertEquals(200, call("POST", "/api/admin/tools/grep/enable", null).status());
        invoke("grep", "{\"pattern\":\"b\"}", 200);

        assertEquals(200, call("PUT", "/api/admin/grant", "{\"workspace\":\"read\"}").status());
        invoke("write_file", "{\"path\":\"w.txt\",\"content\":\"y\"}", 403);
        assertEquals(200, call("PUT", "/api/admin/grant", "{\"workspace\":\"write\"}").status());
        invoke("write_file", "{\"path\":\"w.txt\",\"content\":\"y\"}", 200);

        JsonArray records = adminRecords(since);
        JsonObject grant = action(records, "grant", "write_file");
        assertTrue(grant.get("actor").getAsString().startsWith("admin api"));
        assertEquals("read", grant.getAsJsonObject("details").get("workspace").getAsString());
        action(records, "reset policy", "write_file");
        action(records, "limits", "read_file");
        assertEquals("refused", action(records, "grant", "read_file").getAsJsonObject("details").get("outcome")
                .getAsString());
        action(records, "disable", "grep");
        action(records, "enable", "grep");
        action(records, "grant", "all tools");
        action(records, "config change", "io.boxagnts.tool.policy~grep");
    }

    @Test
    public void aToolBundleUploadedOverHttpRunsAndARemovedOneGoes() throws Exception {
        Instant since = Instant.now().minusSeconds(1);
        Path jar = TestBundles.toolBundle(TempDirs.create("upload"), "echo", TestBundles.hostileModule("echo"),
                "none", 5000);
        Http.Response uploaded = upload("echo.jar", HttpRequest.BodyPublishers.ofFile(jar));
        assertEquals(uploaded.body(), 201, uploaded.status());
        assertEquals("[\"echo\"]", json(uploaded).getAsJsonArray("tools").toString());
        assertEquals("{\"hi\":1}", invoke("echo", "{\"hi\":1}", 200).get("result").toString());
        assertTrue(Files.exists(runtime.root().resolve("plugins/echo.jar")));

        Http.Response garbage = upload("garbage.jar", HttpRequest.BodyPublishers.ofString("not a jar at all"));
        assertEquals(garbage.body(), 400, garbage.status());
        assertTrue(garbage.body(), garbage.body().contains("not a jar"));
        assertFalse(Files.exists(runtime.root().resolve("plugins/garbage.jar")));
        Http.Response escape = upload("../escape.jar", HttpRequest.BodyPublishers.ofFile(jar));
        assertEquals(escape.body(), 400, escape.status());
        Path greedy = TestBundles.toolBundle(TempDirs.create("upload"), "greedy", TestBundles.hostileModule("echo"),
                "none", 999_999_999);
        Http.Response refused = upload("greedy.jar", HttpRequest.BodyPublishers.ofFile(greedy));
        assertEquals(refused.body(), 422, refused.status());
        assertTrue(refused.body(), json(refused).get("problem").getAsString().contains("cap"));
        JsonArray listed = json(Http.get(runtime.url("/api/admin/bundles"))).getAsJsonArray("refused");
        assertTrue(listed.toString(), listed.toString().contains("test.tool.greedy"));

        assertEquals(204, call("DELETE", "/api/admin/bundles/echo.jar", null).status());
        assertEquals(204, call("DELETE", "/api/admin/bundles/greedy.jar", null).status());
        assertEquals(404, call("DELETE", "/api/admin/bundles/echo.jar", null).status());
        Await.until("echo is gone", () -> Http.get(runtime.url("/api/admin/tools/echo")).status() == 404);

        Await.until("the uninstall is recorded", () -> adminRecords(since).toString().contains("\"uninstall\""));
        JsonArray records = adminRecords(since);
        assertEquals("[\"echo\"]", action(records, "upload", "test.tool.echo").getAsJsonObject("details")
                .get("tools").getAsString());
        action(records, "upload", "garbage.jar");
        action(records, "remove", "echo.jar");
        action(records, "install", "test.tool.echo");
        action(records, "uninstall", "test.tool.echo");
    }

    @Test
    public void anAllowedHostInConfIsAnsweredWithoutARestart() throws Exception {
        assertTrue(rawStatusLine("agents.example").contains(" 403 "));
        runtime.conf("io.boxagnts.http.cfg", "allowedHosts=agents.example\n");
        // the name is now one of ours: the request gets as far as the token check
        Await.until("agents.example is answered", () -> rawStatusLine("agents.example").contains(" 401 "));
        assertTrue(rawStatusLine("elsewhere.example").contains(" 403 "));
        Files.delete(runtime.conf().resolve("io.boxagnts.http.cfg"));
        Await.until("agents.example is refused again", () -> rawStatusLine("agents.example").contains(" 403 "));
    }

    /** The status line of a GET /api/health sent with that Host and no token (HttpClient cannot set Host). */
    private static String rawStatusLine(String host) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", runtime.port())) {
            socket.getOutputStream().write(("GET /api/health HTTP/1.1\r\nHost: " + host
                    + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    public void aPolicyFileInConfShowsAndIsChangedInTheFile() throws Exception {
        Path file = runtime.conf("io.boxagnts.tool.policy-list_dir.cfg", "enabled=false\n");
        Await.until("the file's policy applies", () -> tool("list_dir").get("state").getAsString().equals("disabled"));
        JsonObject config = tool("list_dir").getAsJsonArray("config").get(0).getAsJsonObject();
        assertEquals("io.boxagnts.tool.policy~list_dir", config.get("pid").getAsString());
        assertEquals(file.toRealPath().toString(), Path.of(config.get("file").getAsString()).toRealPath().toString());
        assertEquals("io.boxagnts.tool.policy-list_dir.cfg", config.get("asFile").getAsString());
        invoke("list_dir", "{\"path\":\".\"}", 403);

        Http.Response conflict = call("POST", "/api/admin/tools/list_dir/enable", null);
        assertEquals(conflict.body(), 409, conflict.status());
        assertTrue(conflict.body(), conflict.body().contains("change that file"));
        invoke("list_dir", "{\"path\":\".\"}", 403);
        Files.delete(file);
        Await.until("deleting the file ends its policy", () -> tool("list_dir").get("state").getAsString()
                .equals("enabled"));
        invoke("list_dir", "{\"path\":\".\"}", 200);
    }
}
