package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The Apache Felix Web Console at /system/console of a runtime started with bin/boxagnts: the signed-in user (the
 * access token as Bearer, or the browser cookie it was exchanged for) opens it; nobody else does — not without a
 * token, not with the console's well-known {@code admin:admin}, not from a foreign Host or Origin. A second runtime is
 * started with {@code --admin-token-file}: there the access token keeps the UI and the API but gets 403 on the console
 * and on {@code /api/admin/}, which the admin token opens.
 */
public class ConsoleIT {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static TestRuntime runtime;
    private static String token;
    private static TestRuntime split;
    private static String adminToken;

    @BeforeClass
    public static void start() throws Exception {
        runtime = TestRuntime.prepare("boxagnts-console-it").start();
        token = Http.token(runtime.port());
        Await.until("the console is registered", () -> Http.get(runtime.url("/system/console/bundles.json"))
                .status() == 200);
        split = TestRuntime.prepare("boxagnts-console-admin-it");
        adminToken = "admin-" + "7".repeat(40);
        Path file = Files.writeString(split.root().resolve("admin-token"), adminToken + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        split.start("--admin-token-file", file.toString());
    }

    @AfterClass
    public static void stop() {
        if (runtime != null) {
            runtime.close();
        }
        if (split != null) {
            split.close();
        }
    }

    @Test
    public void withoutAnAdminTokenTheUiLinksTheConsoleForTheSignedInUser() throws Exception {
        JsonObject console = JsonParser.parseString(Http.get(runtime.url("/api/console")).body()).getAsJsonObject();
        assertEquals("/system/console/", console.get("path").getAsString());
        assertTrue(console.get("mayOpen").getAsBoolean());
    }

    @Test
    public void withAnAdminTokenTheAccessTokenGets403OnTheConsoleAndTheAdminApi() throws Exception {
        String access = Http.token(split.port());
        // the access token keeps the UI and the API
        assertEquals(200, send(request(split, "/api/tools").header("Authorization", "Bearer " + access)).statusCode());
        JsonObject console = JsonParser.parseString(send(request(split, "/api/console")
                .header("Authorization", "Bearer " + access)).body()).getAsJsonObject();
        assertFalse("no console link for the plain user", console.get("mayOpen").getAsBoolean());
        for (String path : new String[] {"/system/console", "/system/console/bundles", "/system/console/bundles.json",
                "/system/console/configMgr", "/api/admin", "/api/admin/tools", "/api/%61dmin/tools"}) {
            HttpResponse<String> refused = send(request(split, path).header("Authorization", "Bearer " + access));
            assertEquals(path, 403, refused.statusCode());
            assertTrue(refused.body(), refused.body().contains("\"kind\":\"FORBIDDEN\"")
                    && refused.body().contains("--admin-token-file"));
        }
        // the browser signed in with the access token: the same
        String cookie = send(request(split, "/?token=" + access)).headers().firstValue("Set-Cookie").orElseThrow()
                .split(";")[0];
        assertEquals(403, send(request(split, "/system/console/bundles").header("Cookie", cookie)).statusCode());
        assertEquals(200, send(request(split, "/api/sessions").header("Cookie", cookie)).statusCode());
        // the administrator's token opens the console and passes the checks on /api/admin/ (no endpoint yet)
        HttpResponse<String> admin = send(request(split, "/system/console/bundles.json")
                .header("Authorization", "Bearer " + adminToken));
        assertEquals(200, admin.statusCode());
        assertTrue(JsonParser.parseString(send(request(split, "/api/console").header("Authorization", "Bearer "
                + adminToken)).body()).getAsJsonObject().get("mayOpen").getAsBoolean());
        int adminApi = send(request(split, "/api/admin/none").header("Authorization", "Bearer " + adminToken))
                .statusCode();
        assertTrue("status " + adminApi, adminApi != 401 && adminApi != 403);
        String adminCookie = send(request(split, "/system/console?token=" + adminToken)).headers()
                .firstValue("Set-Cookie").orElseThrow().split(";")[0];
        assertEquals(200, send(request(split, "/system/console/bundles.json").header("Cookie", adminCookie))
                .statusCode());
        // each refusal is a sign-in failure in the audit log, without the token
        Await.until("the refused console access is audited", () -> {
            String records = send(request(split, "/api/audit?type=admin&tool=/system/console/bundles")
                    .header("Authorization", "Bearer " + adminToken)).body();
            return records.contains("\"action\":\"sign-in failure\"") && records.contains("\"status\":\"403\"");
        });
        String log = send(request(split, "/api/audit?type=admin&limit=1000").header("Authorization", "Bearer "
                + adminToken)).body();
        assertFalse(log.contains(access) || log.contains(adminToken));
    }

    @Test
    public void anAdminTokenThatIsTheAccessTokenOrReadableByOthersIsRefusedAtStart() throws Exception {
        // a data directory of its own (the running one's is locked), holding the same access token
        Path data = Files.createDirectories(split.root().resolve("data-refused"));
        Path access = Files.writeString(data.resolve("access-token"), Http.token(split.port()) + "\n");
        Files.setPosixFilePermissions(access, PosixFilePermissions.fromString("rw-------"));
        Path same = Files.writeString(split.root().resolve("same-token"), Http.token(split.port()) + "\n");
        Files.setPosixFilePermissions(same, PosixFilePermissions.fromString("rw-------"));
        Path open = Files.writeString(split.root().resolve("open-token"), "o".repeat(40) + "\n");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        String[][] cases = {{same.toString(), "is the access token"}, {open.toString(), "chmod 600"},
                {split.root().resolve("missing").toString(), "does not exist"}};
        for (String[] c : cases) {
            try (BoxagntsProcess refused = BoxagntsProcess.start("--workspace-dir", split.workspace().toString(),
                    "--data-dir", data.toString(), "--port", Integer.toString(freePort()),
                    "--admin-token-file", c[0])) {
                assertEquals(2, refused.exitCode());
                assertTrue(refused.stderr().toString(), refused.stderr().toString().contains(c[1]));
            }
        }
    }

    @Test
    public void theAccessTokenOpensTheConsole() throws Exception {
        HttpResponse<String> page = send(request("/system/console/bundles").header("Authorization", "Bearer " + token));
        assertEquals(200, page.statusCode());
        assertTrue(page.body(), page.body().contains("BoxAgnts Web Console") && page.body().contains("Bundles"));
        // the console's pages have inline scripts: they get a policy that allows those, and still no framing
        String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(policy, policy.contains("'unsafe-inline'") && policy.contains("frame-ancestors 'none'"));

        JsonObject bundles = JsonParser.parseString(Http.get(runtime.url("/system/console/bundles.json")).body())
                .getAsJsonObject();
        String list = bundles.getAsJsonArray("data").toString();
        assertTrue(list, list.contains("\"symbolicName\":\"io.boxagnts.console\"")
                && list.contains("\"symbolicName\":\"org.apache.felix.webconsole\""));
        assertTrue(bundles.get("status").getAsString(), bundles.get("status").getAsString().contains("all "));
        // the API keeps its own strict policy
        HttpResponse<String> api = send(request("/api/health").header("Authorization", "Bearer " + token));
        assertFalse(api.headers().firstValue("Content-Security-Policy").orElse("").contains("unsafe-inline"));
    }

    @Test
    public void withoutTheTokenOrWithAdminAdminTheConsoleIsRefused() throws Exception {
        for (String path : new String[] {"/system/console", "/system/console/bundles", "/system/console/bundles.json",
                "/system/console/configMgr", "/system/console/res/lib/jquery-3.6.1.js"}) {
            HttpResponse<String> anonymous = send(request(path));
            assertEquals(path, 401, anonymous.statusCode());
            assertFalse(anonymous.body(), anonymous.body().contains("Bundles"));
            String basic = "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes());
            assertEquals(path, 401, send(request(path).header("Authorization", basic)).statusCode());
            assertEquals(path, 401, send(request(path).header("Authorization", "Bearer " + "x".repeat(43)))
                    .statusCode());
        }
        // the well-known default of the console's own login, as a form post: refused before the console sees it
        HttpResponse<String> form = send(request("/system/console/bundles")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("j_username=admin&j_password=admin")));
        assertEquals(401, form.statusCode());
    }

    @Test
    public void aForeignHostOrOriginIsRefusedEvenWithTheToken() throws Exception {
        String answer = Http.raw(runtime.port(), "GET /system/console/bundles.json HTTP/1.1\r\nHost: attacker.example:"
                + runtime.port() + "\r\nAuthorization: Bearer " + token + "\r\nConnection: close\r\n\r\n");
        assertTrue(answer, answer.startsWith("HTTP/1.1 403"));
        assertFalse(answer, answer.contains("symbolicName"));
        HttpResponse<String> crossSite = send(request("/system/console/bundles/1")
                .header("Authorization", "Bearer " + token).header("Origin", "https://evil.example")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("action=stop")));
        assertEquals(403, crossSite.statusCode());
        HttpResponse<String> otherPort = send(request("/system/console/bundles.json")
                .header("Authorization", "Bearer " + token).header("Origin", "http://127.0.0.1:1"));
        assertEquals(403, otherPort.statusCode());
        assertEquals("the bundle was not stopped", 200, Http.get(runtime.url("/api/health")).status());
    }

    @Test
    public void theBrowserCookieOpensTheConsoleAndMustShowOurOriginToChangeAnything() throws Exception {
        HttpResponse<String> link = send(request("/system/console/bundles?token=" + token));
        assertEquals(303, link.statusCode());
        assertEquals("/system/console/bundles", link.headers().firstValue("Location").orElse(""));
        String cookie = link.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        assertEquals(200, send(request("/system/console/bundles.json").header("Cookie", cookie)).statusCode());
        // a cookie riding along with a cross-site form post (no Origin) changes nothing
        HttpResponse<String> replayed = send(request("/system/console/bundles/1").header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("action=stop")));
        assertEquals(403, replayed.statusCode());
    }

    @Test
    public void theAuditPageListsAToolCallAndFilters() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        assertEquals(200, Http.post(runtime.url("/api/tools/glob/invoke"), "{\"pattern\":\"*.nothing\"}").status());
        HttpResponse<String> page = send(request("/system/console/audit?tool=glob&type=tool_call&since=" + before)
                .header("Authorization", "Bearer " + token));
        assertEquals(200, page.statusCode());
        assertTrue(page.body(), page.body().contains("Audit log") && page.body().contains("<td>glob 0.1.0</td>")
                && page.body().contains("1 record of"));
        String admin = send(request("/system/console/audit?type=admin&tool=glob").header("Authorization", "Bearer "
                + token)).body();
        assertTrue(admin, admin.contains("No record matches."));
        String wrong = send(request("/system/console/audit?since=yesterday").header("Authorization", "Bearer " + token))
                .body();
        assertTrue(wrong, wrong.contains("since must be an ISO-8601 time"));
        assertEquals(401, send(request("/system/console/audit")).statusCode());
    }

    @Test
    public void theAuditPageShowsWebFetchesAsAKindAndOffersEveryToolToFilterBy() throws Exception {
        // off by default: the call is refused, and the attempt is a web_fetch record
        Http.Response refused = Http.post(runtime.url("/api/tools/web_fetch/invoke"),
                "{\"url\":\"https://docs.python.org/3/\"}");
        assertTrue(refused.body(), refused.body().contains("PERMISSION_DENIED"));
        String page = send(request("/system/console/audit?type=web_fetch&tool=web_fetch")
                .header("Authorization", "Bearer " + token)).body();
        assertTrue(page, page.contains("<option value=\"web_fetch\" selected>web fetches</option>"));
        assertTrue(page, page.contains("<td>web fetch</td>") && page.contains("<td>web_fetch https://docs.python.org/3/</td>")
                && page.contains("<td>refused</td>") && page.contains("web fetching is off"));
        for (String tool : List.of("shell", "js", "web_fetch", "read_file")) {
            assertTrue(tool, page.contains("<option value=\"" + tool + "\"></option>"));
        }
        String calls = send(request("/system/console/audit?type=tool_call&tool=web_fetch")
                .header("Authorization", "Bearer " + token)).body();
        assertTrue(calls, calls.contains("<td>tool call</td>") && calls.contains("<td>web_fetch 0.1.0</td>"));
    }

    @Test
    public void failedSignInsAreAudited() throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes());
        send(request("/system/console/bundles").header("Authorization", basic));
        Await.until("the failed sign-in is in the audit log", () -> {
            String records = Http.get(runtime.url("/api/audit?type=admin&tool=/system/console/bundles")).body();
            return records.contains("\"action\":\"sign-in failure\"") && records.contains("Authorization Basic");
        });
        String log = Http.get(runtime.url("/api/audit?type=admin")).body();
        assertFalse("no credential in the log", log.contains("YWRtaW46YWRtaW4="));
    }

    /** What the console changes is recorded with who did it: a bundle stopped and started from its Bundles page. */
    @Test
    public void bundleActionsInTheConsoleAreAuditedWithWhoDidThem() throws Exception {
        Await.until("glob is installed", () -> Http.get(runtime.url("/system/console/bundles.json")).body()
                .contains("\"symbolicName\":\"io.boxagnts.tool.glob\""));
        long id = -1;
        for (var bundle : JsonParser.parseString(Http.get(runtime.url("/system/console/bundles.json")).body())
                .getAsJsonObject().getAsJsonArray("data")) {
            if (bundle.getAsJsonObject().get("symbolicName").getAsString().equals("io.boxagnts.tool.glob")) {
                id = bundle.getAsJsonObject().get("id").getAsLong();
            }
        }
        for (String action : new String[] {"stop", "start"}) {
            HttpResponse<String> done = send(request("/system/console/bundles/" + id)
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("action=" + action)));
            assertEquals(done.body(), 200, done.statusCode());
        }
        String records = Http.get(runtime.url("/api/audit?type=admin&tool=/system/console/bundles/" + id)).body();
        for (String action : new String[] {"stop", "start"}) {
            assertTrue(records, records.contains("\"requested\":\"" + action + "\"") && records.contains(
                    "\"bundle\":\"io.boxagnts.tool.glob 0.1.0\"") && records.contains("\"actor\":\"console (127.0.0.1)\""));
        }
        Await.until("glob is back", () -> Http.post(runtime.url("/api/tools/glob/invoke"), "{\"pattern\":\"*\"}")
                .status() == 200);
    }

    /**
     * The Configuration page refuses to change what a conf/ file holds (the file is what runs, and is never rewritten)
     * and what the launcher sets (the HTTP server's address: a form must not bind it elsewhere), with the reason.
     */
    @Test
    public void theConfigurationPageRefusesWhatAConfFileOrTheLauncherSets() throws Exception {
        String pid = "io.boxagnts.tool.policy~list_dir";
        Path file = runtime.conf("io.boxagnts.tool.policy-list_dir.cfg", "timeoutMs=4000\n");
        try {
            Await.until("the file's configuration applies", () -> listDirConfig().contains("\"timeoutMs\":\"4000\""));
            for (String form : new String[] {"propertylist=timeoutMs&timeoutMs=1000", "delete=1"}) {
                HttpResponse<String> refused = saveInConsole(pid, form);
                assertEquals(refused.body(), 400, refused.statusCode());
                assertTrue(refused.body(), refused.body().contains("comes from the configuration file")
                        && refused.body().contains("io.boxagnts.tool.policy-list_dir.cfg"));
            }
            assertTrue(listDirConfig(), listDirConfig().contains("\"timeoutMs\":\"4000\""));

            HttpResponse<String> rebind = saveInConsole("org.apache.felix.http",
                    "propertylist=org.apache.felix.http.host&org.apache.felix.http.host=0.0.0.0");
            assertEquals(rebind.body(), 400, rebind.statusCode());
            assertTrue(rebind.body(), rebind.body().contains("the command line sets (--host, --port)"));
            String stored = Http.get(runtime.url("/system/console/configMgr/org.apache.felix.http.json")).body();
            assertFalse(stored, stored.contains("0.0.0.0"));

            String audit = Http.get(runtime.url("/api/audit?type=admin&limit=1000")).body();
            assertTrue(audit, audit.contains("\"subject\":\"" + pid + "\"") && audit.contains("\"outcome\":\"refused\"")
                    && audit.contains("\"subject\":\"org.apache.felix.http\""));
        } finally {
            Files.delete(file);
        }
    }

    private static String listDirConfig() throws Exception {
        return Http.get(runtime.url("/api/admin/tools/list_dir")).body();
    }

    /** What the Configuration page's editor posts when its Save (or Delete) button is pressed. */
    private static HttpResponse<String> saveInConsole(String pid, String form) throws Exception {
        return send(request("/system/console/configMgr/" + pid).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("apply=true&action=ajaxConfigManager&" + form)));
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static HttpRequest.Builder request(String path) {
        return request(runtime, path);
    }

    private static HttpRequest.Builder request(TestRuntime target, String path) {
        return HttpRequest.newBuilder(URI.create(target.url(path))).timeout(Duration.ofSeconds(20));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
