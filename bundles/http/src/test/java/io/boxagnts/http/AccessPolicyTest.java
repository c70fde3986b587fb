package io.boxagnts.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.boxagnts.api.runtime.HttpContext;
import io.boxagnts.http.AccessPolicy.GrantCookie;
import io.boxagnts.http.AccessPolicy.Incoming;
import io.boxagnts.http.AccessPolicy.Pass;
import io.boxagnts.http.AccessPolicy.Refuse;
import io.boxagnts.http.AccessPolicy.Verdict;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef-secret";
    private static final String ADMIN_SECRET = "fedcba9876543210fedcba9876543210-admin";
    private static final String HOST = "127.0.0.1:30001";
    private static final String ORIGIN = "http://127.0.0.1:30001";

    private final AccessToken token = new AccessToken(SECRET, 30001);
    private final AccessPolicy policy = new AccessPolicy(Set.of(), token);
    private final String cookie = token.setCookieHeader().substring("boxagnts-30001=".length()).split(";")[0];

    @Test
    void theUiIsPublicAndTheApiNeedsTheToken() {
        assertInstanceOf(Pass.class, policy.check(get("/", null, null, null)));
        assertInstanceOf(Pass.class, policy.check(get("/ui/app.js", null, null, null)));
        assertRefused(401, policy.check(get("/app.js", null, null, null)));
        assertRefused(401, policy.check(get("/system/console", null, null, null))); // closed by default
        assertRefused(401, policy.check(get("/api/sessions", null, null, null)));
        assertRefused(401, policy.check(get("/api/sessions", "Bearer wrong-token-wrong-token-wrong-token", null, null)));
        assertRefused(401, policy.check(get("/api/sessions", null, "forged-cookie", null)));
        assertInstanceOf(Pass.class, policy.check(get("/api/sessions", "Bearer " + SECRET, null, null)));
        assertInstanceOf(Pass.class, policy.check(get("/api/sessions", "bearer " + SECRET, null, null)));
        assertInstanceOf(Pass.class, policy.check(get("/api/sessions", null, cookie, null)));
        assertFalse(assertRefused(401, policy.check(get("/api/sessions", null, null, null))).signInFailure(),
                "no credential is not a failed sign-in");
        assertTrue(assertRefused(401, policy.check(get("/api/x", "Basic YWRtaW46YWRtaW4=", null, null))).signInFailure());
        assertTrue(assertRefused(401, policy.check(get("/api/x", null, "forged-cookie", null))).signInFailure());
    }

    @Test
    void withoutAnAdminTokenTheAccessTokenAdministers() {
        for (String path : new String[] {"/system/console", "/system/console/bundles", "/api/admin/tools", "/api/x"}) {
            assertEquals(new Pass(HttpContext.ROLE_ADMIN), policy.check(get(path, "Bearer " + SECRET, null, null)));
            assertEquals(new Pass(HttpContext.ROLE_ADMIN), policy.check(get(path, null, cookie, null)));
        }
        assertEquals(new Pass(null), policy.check(get("/ui/app.js", null, null, null)));
        assertRefused(401, policy.check(get("/system/console", "Basic YWRtaW46YWRtaW4=", null, null))); // admin:admin
    }

    @Test
    void anAdminTokenAloneAdministersAndTheAccessTokenGets403There() {
        AccessToken admin = new AccessToken(ADMIN_SECRET, 30001);
        AccessPolicy split = new AccessPolicy(Set.of(), token, admin);
        String adminCookie = admin.setCookieHeader().substring("boxagnts-30001=".length()).split(";")[0];
        for (String path : new String[] {"/system/console", "/system/console/", "/system/console/bundles.json",
                "/api/admin", "/api/admin/tools/grep"}) {
            Refuse refused = assertRefused(403, split.check(get(path, "Bearer " + SECRET, null, null)));
            assertTrue(refused.signInFailure(), "a refused console access is audited");
            assertRefused(403, split.check(get(path, null, cookie, null)));
            assertEquals(new Pass(HttpContext.ROLE_ADMIN), split.check(get(path, "Bearer " + ADMIN_SECRET, null, null)));
            assertEquals(new Pass(HttpContext.ROLE_ADMIN), split.check(get(path, null, adminCookie, null)));
        }
        // the UI and the API stay open to the access token
        assertEquals(new Pass(HttpContext.ROLE_USER), split.check(get("/api/sessions", "Bearer " + SECRET, null, null)));
        assertEquals(new Pass(HttpContext.ROLE_USER), split.check(get("/api/administration", null, cookie, null)));
        assertEquals(new Pass(HttpContext.ROLE_USER), split.check(get("/system/consoles", null, cookie, null)));
        assertEquals(new Pass(HttpContext.ROLE_ADMIN), split.check(get("/api/sessions", "Bearer " + ADMIN_SECRET, null,
                null)));
        // either token signs a browser in, each to its own cookie
        Incoming adminLink = new Incoming("GET", "/system/console", "/system/console", ADMIN_SECRET, HOST, null, "none",
                null, null, "text/html", -1);
        assertEquals(new GrantCookie("/system/console", admin), split.check(adminLink));
        Incoming userLink = new Incoming("GET", "/", "/", SECRET, HOST, null, "none", null, null, "text/html", -1);
        assertEquals(new GrantCookie("/", token), split.check(userLink));
        // a cookie request that changes state still needs our Origin, admin or not
        assertRefused(403, split.check(post("/api/admin/tools", null, adminCookie, null, null)));
        assertEquals(new Pass(HttpContext.ROLE_ADMIN), split.check(post("/api/admin/tools", null, adminCookie, ORIGIN,
                "same-origin")));
    }

    @Test
    void anUnreadableAdminTokenLocksAdministrationForEveryone() {
        AccessPolicy locked = new AccessPolicy(Set.of(), token, new AccessToken("", 30001));
        assertRefused(403, locked.check(get("/system/console", "Bearer " + SECRET, null, null)));
        assertRefused(401, locked.check(get("/system/console", "Bearer ", null, null)));
        assertEquals(new Pass(HttpContext.ROLE_USER), locked.check(get("/api/sessions", "Bearer " + SECRET, null, null)));
    }

    @Test
    void noSpellingOfAnotherPathPassesForTheUi() {
        // the container decodes /ui/%2e%2e/api/sessions to /api/sessions; a raw /ui/ prefix proves nothing
        assertRefused(401, policy.check(new Incoming("GET", "/api/sessions", "/ui/%2e%2e/api/sessions", null, HOST,
                null, null, null, null, "*/*", -1)));
        assertRefused(401, policy.check(new Incoming("GET", "/ui/app.js", "/ui/%61pp.js", null, HOST, null, null, null,
                null, "*/*", -1)));
        assertRefused(401, policy.check(new Incoming("POST", "/ui/app.js", "/ui/app.js", null, HOST, ORIGIN, null,
                null, null, "*/*", 2)));
        assertRefused(401, policy.check(get("/ui/../api/sessions", null, null, null)));
    }

    @Test
    void aTokenInAnApiUrlIsNotTakenNorExchanged() {
        assertRefused(401, policy.check(new Incoming("GET", "/api/sessions", "/api/sessions", SECRET, HOST, null,
                null, null, null, "*/*", -1)));
    }

    @Test
    void theTokenInTheLinkBecomesACookie() {
        Incoming link = new Incoming("GET", "/", "/", SECRET, HOST, null, "none", null, null, "text/html", -1);
        assertEquals(new GrantCookie("/", token), policy.check(link));
        Incoming wrong = new Incoming("GET", "/", "/", "guess", HOST, null, "none", null, null, "text/html", -1);
        assertRefused(401, policy.check(wrong));
        assertTrue(token.setCookieHeader().contains("HttpOnly") && token.setCookieHeader().contains("SameSite=Strict"));
        assertTrue(token.matchesCookie(cookie));
    }

    @Test
    void aCookieAloneCannotChangeState() {
        assertInstanceOf(Pass.class, policy.check(post("/api/sessions", null, cookie, ORIGIN, "same-origin")));
        // a stolen cookie replayed without Origin, or from another site, or from another local web app
        assertRefused(403, policy.check(post("/api/sessions", null, cookie, null, null)));
        assertRefused(403, policy.check(post("/api/sessions", null, cookie, "https://evil.example", "cross-site")));
        assertRefused(403, policy.check(post("/api/sessions", null, cookie, "http://127.0.0.1:8888", "same-site")));
        assertRefused(403, policy.check(post("/api/sessions", null, cookie, null, "same-site")));
        // scripts with the token need no Origin
        assertInstanceOf(Pass.class, policy.check(post("/api/sessions", "Bearer " + SECRET, null, null, null)));
    }

    @Test
    void eventStreamsNeedTheOriginToo() {
        Incoming stream = new Incoming("GET", "/api/events", "/api/events", null, HOST, null, "same-origin", null, cookie,
                "text/event-stream", -1);
        assertRefused(403, policy.check(stream));
    }

    @Test
    void aRebindingHostIsRefusedBeforeAnythingElse() {
        Incoming rebound = new Incoming("GET", "/api/sessions", "/api/sessions", null, "evil.example:30001", null, null,
                "Bearer " + SECRET, null, null, -1);
        Refuse refusal = assertRefused(403, policy.check(rebound));
        assertTrue(refusal.message().contains("Host 'evil.example:30001'"));
        assertRefused(403, policy.check(new Incoming("GET", "/", "/", null, null, null, null, null, null, null, -1)));
    }

    @Test
    void aForeignOriginIsRefusedEvenWithTheToken() {
        assertRefused(403, policy.check(post("/api/sessions", "Bearer " + SECRET, null, "https://evil.example", null)));
        assertRefused(403, policy.check(post("/api/sessions", "Bearer " + SECRET, null, "null", null)));
    }

    @Test
    void configuredNamesAreOursAndIpv6LoopbackToo() {
        AccessPolicy lan = new AccessPolicy(Set.of("192.168.1.20", "agents.example.org"), token);
        assertInstanceOf(Pass.class, lan.check(new Incoming("POST", "/api/sessions", "/api/sessions", null, "192.168.1.20:30001",
                "http://192.168.1.20:30001", null, "Bearer " + SECRET, null, null, 2)));
        assertInstanceOf(Pass.class, lan.check(new Incoming("GET", "/", "/", null, "agents.example.org", null, null, null,
                null, null, -1)));
        assertInstanceOf(Pass.class, policy.check(new Incoming("POST", "/api/sessions", "/api/sessions", null, "[::1]:30001",
                "http://[::1]:30001", null, "Bearer " + SECRET, null, null, 2)));
    }

    @Test
    void oversizedBodiesAreRefusedBeforeTheEndpointReadsThem() {
        Incoming huge = new Incoming("POST", "/api/sessions", "/api/sessions", null, HOST, ORIGIN, null, "Bearer " + SECRET, null,
                null, 50L << 20);
        assertRefused(413, policy.check(huge));
    }

    @Test
    void anEmptyTokenMatchesNothing() {
        AccessPolicy closed = new AccessPolicy(Set.of(), new AccessToken("", 30001));
        assertRefused(401, closed.check(get("/api/sessions", "Bearer ", null, null)));
        assertRefused(401, closed.check(new Incoming("GET", "/", "/", "", HOST, null, null, null, null, null, -1)));
    }

    @Test
    void theTokenIsReadFromTheQueryStringOnly() {
        assertEquals("a b+c", Requests.query("x=1&token=a+b%2Bc", "token"));
        assertEquals("é", Requests.query("token=%C3%A9", "token"));
        assertEquals(null, Requests.query("tokens=1", "token"));
        assertThrows(IllegalArgumentException.class, () -> Requests.query("token=%zz", "token"));
        assertThrows(IllegalArgumentException.class, () -> Requests.query("token=%ff%fe", "token"));
    }

    private static Incoming get(String path, String authorization, String cookie, String origin) {
        return new Incoming("GET", path, path, null, HOST, origin, null, authorization, cookie, "*/*", -1);
    }

    private static Incoming post(String path, String authorization, String cookie, String origin, String site) {
        return new Incoming("POST", path, path, null, HOST, origin, site, authorization, cookie, "*/*", 2);
    }

    private static Refuse assertRefused(int status, Verdict verdict) {
        Refuse refuse = assertInstanceOf(Refuse.class, verdict);
        assertEquals(status, refuse.status(), refuse.message());
        return refuse;
    }
}
