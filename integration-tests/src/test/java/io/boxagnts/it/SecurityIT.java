package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The HTTP server as an attacker meets it: a web page in the user's browser (foreign Host, foreign Origin, a replayed
 * cookie), a client without or with a wrong token, oversized and malformed bodies, and a fuzz run of thousands of
 * malformed requests. Every refusal must be the right 4xx and leave nothing behind; nothing may answer 5xx; the
 * runtime must keep serving.
 */
public class SecurityIT {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static TestRuntime runtime;
    private static BoxagntsProcess boxagnts;
    private static Path root;
    private static Path workspace;
    private static int port;
    private static String base;
    private static String token;

    @BeforeClass
    public static void start() throws Exception {
        runtime = TestRuntime.prepare("boxagnts-security-it");
        root = runtime.root();
        workspace = runtime.workspace();
        Files.writeString(workspace.resolve("README.md"), "hello\n");
        boxagnts = runtime.start().process();
        port = runtime.port();
        base = runtime.url("");
        token = Http.token(port);
    }

    @AfterClass
    public static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    public void theTokenIsGeneratedPrivateAndPrintedAsALink() throws Exception {
        Path file = root.resolve("data/access-token");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(token, Files.readString(file).trim());
        assertTrue(boxagnts.url().endsWith("/?token=" + token));
    }

    @Test
    public void withoutOrWithAWrongTokenTheApiAnswers401AndDoesNothing() throws Exception {
        int before = sessionCount();
        assertEquals(401, send(request("/api/sessions").POST(body("{\"title\":\"x\"}")).build()).statusCode());
        assertEquals(401, send(request("/api/sessions").header("Authorization", "Bearer " + "x".repeat(43))
                .POST(body("{\"title\":\"x\"}")).build()).statusCode());
        assertEquals(401, send(request("/api/sessions").header("Authorization", "Basic " + token).GET().build()).statusCode());
        assertEquals(401, send(request("/api/tools/write_file/invoke").header("Cookie", "boxagnts-" + port + "=forged")
                .POST(body("{\"path\":\"pwned.txt\",\"content\":\"x\"}")).build()).statusCode());
        HttpResponse<String> wrongLink = send(request("/?token=guess").GET().build());
        assertEquals(401, wrongLink.statusCode());
        assertTrue(wrongLink.headers().firstValue("Set-Cookie").isEmpty());
        assertEquals(before, sessionCount());
        assertFalse(Files.exists(workspace.resolve("pwned.txt")));
    }

    @Test
    public void encodedOrDottedPathsToTheApiStillNeedTheToken() throws Exception {
        for (String path : List.of("/%61pi/sessions", "/x/../api/sessions", "/./api/sessions", "//api/sessions",
                "/api/./sessions", "/api%2Fsessions", "/%2561pi/sessions", "/api/sessions;x=1", "/ui/..;/api/sessions")) {
            String answer = Http.raw(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n");
            String status = answer.lines().findFirst().orElse("");
            assertFalse(path + " -> " + status, answer.contains("\"sessions\":["));
            assertTrue(path + " -> " + status, status.matches("HTTP/1\\.1 (400|401|404).*"));
        }
    }

    @Test
    public void aForeignHostIsRefusedEvenWithTheToken() throws Exception {
        String answer = Http.raw(port, "POST /api/sessions HTTP/1.1\r\nHost: attacker.example:" + port + "\r\nAuthorization: Bearer "
                + token + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
        assertTrue(answer, answer.startsWith("HTTP/1.1 403"));
        assertTrue(answer, answer.contains("Host 'attacker.example:" + port + "'"));
    }

    @Test
    public void aForeignOriginIsRefusedAndGetsNoCorsHeaders() throws Exception {
        int before = sessionCount();
        for (String origin : List.of("https://attacker.example", "http://127.0.0.1:" + (port == 65535 ? 1 : port + 1),
                "null", "http://localhost.attacker.example:" + port)) {
            HttpResponse<String> answer = send(authorized("/api/sessions").header("Origin", origin)
                    .POST(body("{\"title\":\"x\"}")).build());
            assertEquals(origin, 403, answer.statusCode());
            assertTrue(answer.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        }
        HttpResponse<String> preflight = send(request("/api/sessions").header("Origin", "https://attacker.example")
                .header("Access-Control-Request-Method", "POST").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build());
        assertEquals(403, preflight.statusCode());
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        assertEquals(before, sessionCount());
    }

    @Test
    public void aStolenCookieCannotChangeStateFromAnotherSiteOrWithoutOrigin() throws Exception {
        HttpResponse<String> exchange = send(request("/?token=" + token).GET().build());
        assertEquals(303, exchange.statusCode());
        assertEquals("/", exchange.headers().firstValue("Location").orElseThrow());
        String setCookie = exchange.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie, setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"));
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        int before = sessionCount();
        String write = "{\"path\":\"stolen.txt\",\"content\":\"x\"}";
        assertEquals(403, send(request("/api/tools/write_file/invoke").header("Cookie", cookie)
                .header("Origin", "https://attacker.example").POST(body(write)).build()).statusCode());
        assertEquals(403, send(request("/api/tools/write_file/invoke").header("Cookie", cookie)
                .POST(body(write)).build()).statusCode());
        assertEquals(403, send(request("/api/sessions").header("Cookie", cookie).header("Sec-Fetch-Site", "cross-site")
                .POST(body("{}")).build()).statusCode());
        assertEquals(before, sessionCount());
        assertFalse(Files.exists(workspace.resolve("stolen.txt")));
        // the same cookie from our own page works
        assertEquals(200, send(request("/api/sessions").header("Cookie", cookie).GET().build()).statusCode());
        assertEquals(201, send(request("/api/sessions").header("Cookie", cookie).header("Origin", base)
                .header("Sec-Fetch-Site", "same-origin").POST(body("{\"title\":\"from the UI\"}")).build()).statusCode());
    }

    @Test
    public void pagesCarryTheSecurityHeaders() throws Exception {
        for (String path : List.of("/", "/ui/app.js", "/api/health", "/api/nothing")) {
            HttpResponse<String> answer = send(authorized(path).GET().build());
            String csp = answer.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(path + ": " + csp, csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'")
                    && !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"));
            assertEquals(path, "nosniff", answer.headers().firstValue("X-Content-Type-Options").orElse(""));
            assertEquals(path, "DENY", answer.headers().firstValue("X-Frame-Options").orElse(""));
        }
    }

    @Test
    public void errorsTheEndpointsDoNotAnswerThemselvesAreJsonToo() throws Exception {
        HttpResponse<String> put = send(authorized("/api/sessions").PUT(body("{}")).build());
        assertEquals(405, put.statusCode());
        assertTrue(put.headers().firstValue("Content-Type").orElse(""), put.headers().firstValue("Content-Type")
                .orElse("").startsWith("application/json"));
        assertEquals("METHOD_NOT_ALLOWED", JsonParser.parseString(put.body()).getAsJsonObject().getAsJsonObject("error")
                .get("kind").getAsString());
        HttpResponse<String> missing = send(authorized("/api/nothing/here").GET().build());
        assertEquals(404, missing.statusCode());
        assertEquals("NOT_FOUND", JsonParser.parseString(missing.body()).getAsJsonObject().getAsJsonObject("error")
                .get("kind").getAsString());
    }

    @Test
    public void oversizedAndMalformedBodiesGetA4xxAndChangeNothing() throws Exception {
        int before = sessionCount();
        // refused by its Content-Length before a byte of it is read (raw: the server answers and closes while a
        // client would still be sending, which HTTP clients report as a broken connection)
        String headers = "POST /api/tools/write_file/invoke HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nAuthorization: Bearer " + token + "\r\nContent-Type: application/json\r\n";
        String declared = Http.raw(port, headers + "Content-Length: " + (3 << 20) + "\r\n\r\n{\"path\":");
        assertTrue(declared, declared.startsWith("HTTP/1.1 413"));
        // chunked, so no length to refuse it by: the endpoint's own limit (256 KiB for sessions) stops it
        String chunk = "{\"title\":\"" + "x".repeat(300_000) + "\"}";
        String chunked = Http.raw(port, headers.replace("/api/tools/write_file/invoke", "/api/sessions")
                + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(chunk.length()) + "\r\n" + chunk
                + "\r\n0\r\n\r\n");
        assertTrue(chunked.lines().findFirst().orElse(""), chunked.startsWith("HTTP/1.1 413"));
        for (String bad : List.of("{", "[]", "\"text\"", "{\"title\": {\"x\": 1}}", "\u0000\u0001", "{\"a\":" + "[".repeat(5000))) {
            int status = send(authorized("/api/sessions").POST(body(bad)).build()).statusCode();
            assertTrue(bad + " -> " + status, status == 400 || status == 201);
        }
        assertEquals(400, send(authorized("/api/tools/write_file/invoke").POST(body("{not json")).build()).statusCode());
        assertEquals(400, send(authorized("/api/sessions/" + createSession() + "/messages")
                .POST(body("{\"text\":{\"nested\":true}}")).build()).statusCode());
        assertEquals(before + 2, sessionCount()); // the "title": {...} one and the one created above; nothing else
        assertFalse(Files.exists(workspace.resolve("pwned.txt")));
    }

    @Test
    public void nonLoopbackHostNeedsAConfiguredCredential() throws Exception {
        try (BoxagntsProcess open = BoxagntsProcess.start("--workspace-dir", workspace.toString(), "--host", "0.0.0.0",
                "--port", Integer.toString(freePort()), "--data-dir", root.resolve("data-open").toString())) {
            assertEquals(2, open.exitCode());
            assertTrue(open.stderr().toString(), open.stderr().toString().contains("--access-token-file"));
        }
        assertFalse(Files.exists(root.resolve("data-open/cache/felix")));
    }

    @Test
    public void thousandsOfMalformedRequestsGetNo5xxAndTheRuntimeKeepsServing() throws Exception {
        long seed = Long.getLong("boxagnts.fuzz.seed", System.nanoTime());
        int requests = Integer.getInteger("boxagnts.fuzz.requests", 3000);
        Random random = new Random(seed);
        String session = createSession();
        List<String> failures = new ArrayList<>();
        int[] byClass = new int[6];
        for (int i = 0; i < requests; i++) {
            Fuzz.Request fuzz = Fuzz.request(random, session);
            HttpResponse<String> answer;
            try {
                answer = send(fuzz.build(base, token));
            } catch (IOException e) {
                continue; // a request the client or server refused to complete is not a 5xx
            }
            byClass[answer.statusCode() / 100]++;
            // A well-formed message starts a turn; with no model server on this machine that is the documented
            // 503 MODEL_UNAVAILABLE, the right answer and not a server fault.
            boolean noModel = answer.statusCode() == 503 && answer.body().contains("\"MODEL_UNAVAILABLE\"");
            if (answer.statusCode() >= 500 && !noModel) {
                String request = fuzz.toString();
                failures.add(request.substring(0, Math.min(160, request.length())) + " -> " + answer.statusCode());
            }
        }
        for (int i = 0; i < 200; i++) {
            String answer = Http.raw(port, Fuzz.rawRequest(random, port, token));
            // 505 is the protocol's one right answer to "HTTP/9.9"; any other 5xx is a failure
            if (answer.matches("(?s)HTTP/1\\.1 5\\d\\d.*") && !answer.startsWith("HTTP/1.1 505")) {
                failures.add("raw request -> " + answer.lines().findFirst().orElse(""));
            }
        }
        System.out.printf("fuzz seed %d: %d requests, 2xx %d, 3xx %d, 4xx %d, 5xx %d%n", seed, requests, byClass[2],
                byClass[3], byClass[4], byClass[5]);
        assertEquals("seed " + seed + ", 5xx answers: " + failures.stream().limit(10).toList(), 0, failures.size());
        assertEquals(200, Http.get(base + "/api/health").status());
        assertEquals(201, Http.post(base + "/api/sessions", "{\"title\":\"after the fuzz\"}").status());
        assertEquals("the access token did not change", token, Files.readString(root.resolve("data/access-token")).trim());
    }

    private static int sessionCount() throws Exception {
        return JsonParser.parseString(Http.get(base + "/api/sessions").body()).getAsJsonObject()
                .getAsJsonArray("sessions").size();
    }

    private static String createSession() throws Exception {
        return JsonParser.parseString(Http.post(base + "/api/sessions", "{\"title\":\"fuzz\"}").body()).getAsJsonObject()
                .get("id").getAsString();
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    }

    private static HttpRequest.Builder authorized(String path) {
        return request(path).header("Authorization", "Bearer " + token);
    }

    private static HttpRequest.BodyPublisher body(String text) {
        return HttpRequest.BodyPublishers.ofString(text);
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
