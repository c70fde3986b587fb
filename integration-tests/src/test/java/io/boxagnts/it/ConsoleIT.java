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
import java.time.Duration;
import java.util.Base64;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The Apache Felix Web Console at /system/console of a runtime started with bin/boxagnts: the signed-in user (the
 * access token as Bearer, or the browser cookie it was exchanged for) opens it; nobody else does — not without a
 * token, not with the console's well-known {@code admin:admin}, not from a foreign Host or Origin.
 */
public class ConsoleIT {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static TestRuntime runtime;
    private static String token;

    @BeforeClass
    public static void start() throws Exception {
        runtime = TestRuntime.prepare("boxagnts-console-it").start();
        token = Http.token(runtime.port());
        Await.until("the console is registered", () -> Http.get(runtime.url("/system/console/bundles.json"))
                .status() == 200);
    }

    @AfterClass
    public static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    public void theAccessTokenOpensTheConsole() throws Exception {
        HttpResponse<String> page = send(request("/system/console/bundles").header("Authorization", "Bearer " + token));
        assertEquals(200, page.statusCode());
        assertTrue(page.body(), page.body().contains("Apache Felix Web Console") && page.body().contains("Bundles"));
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

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(runtime.url(path))).timeout(Duration.ofSeconds(20));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
