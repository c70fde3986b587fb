package io.boxagnts.webfetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.boxagnts.api.audit.WebAccess;
import io.boxagnts.api.web.WebFetchException;
import io.boxagnts.api.web.WebFetchException.Kind;
import io.boxagnts.api.web.WebFetchRequest;
import io.boxagnts.api.web.WebPage;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The policy and the fetcher against a local HTTP server standing for the web: the test lets the names
 * {@code docs.test} and {@code other.test} resolve to it (the same switch a test runtime uses, never set in
 * production); every other name goes through the resolver the test gives.
 */
class WebFetchServiceTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> requestHeaders = new ArrayList<>();
    private final List<WebAccess> audited = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch hungUp = new CountDownLatch(2);
    private final Map<String, InetAddress[]> dns = new HashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            synchronized (requestHeaders) {
                exchange.getRequestHeaders().forEach((k, v) -> requestHeaders.add(k.toLowerCase() + ": " + v));
            }
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            switch (path) {
                case "/page" -> {
                    exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                    exchange.getResponseHeaders().add("Set-Cookie", "session=1");
                    body = ("<html><head><title>Guide</title><script>alert(1)</script><style>p{}</style></head>"
                            + "<body><h1>Install</h1><p>Run   the <b>installer</b>.</p><ul><li>one</li><li>two</li>"
                            + "</ul><pre>a  b\n  c</pre></body></html>").getBytes(StandardCharsets.UTF_8);
                }
                case "/big" -> {
                    exchange.getResponseHeaders().add("Content-Type", "text/plain");
                    body = "x".repeat(100_000).getBytes(StandardCharsets.UTF_8);
                }
                case "/endless", "/endless-declared" -> {
                    // never ends (chunked, or with a Content-Length of 10 GB): only a client that stops gets an answer
                    exchange.getResponseHeaders().add("Content-Type", "text/plain");
                    exchange.sendResponseHeaders(200, path.equals("/endless") ? 0 : 10L << 30);
                    byte[] block = "0123456789".repeat(1000).getBytes(StandardCharsets.US_ASCII);
                    try (var out = exchange.getResponseBody()) {
                        while (true) {
                            out.write(block);
                        }
                    } catch (IOException e) {
                        hungUp.countDown(); // the client closed the connection at its limit
                    }
                    return;
                }
                case "/exact" -> {
                    exchange.getResponseHeaders().add("Content-Type", "text/plain");
                    body = "y".repeat(1000).getBytes(StandardCharsets.UTF_8);
                    if (exchange.getRequestURI().getQuery() != null) { // chunked: the end is only seen by reading on
                        exchange.sendResponseHeaders(200, 0);
                        exchange.getResponseBody().write(body);
                        exchange.close();
                        return;
                    }
                }
                case "/image" -> {
                    exchange.getResponseHeaders().add("Content-Type", "image/png");
                    body = new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0};
                }
                case "/away" -> {
                    exchange.getResponseHeaders().add("Location", "https://evil.example/steal");
                    body = new byte[0];
                    exchange.sendResponseHeaders(302, -1);
                    exchange.close();
                    return;
                }
                case "/within" -> {
                    exchange.getResponseHeaders().add("Location", "http://other.test:" + port() + "/page");
                    exchange.sendResponseHeaders(301, -1);
                    exchange.close();
                    return;
                }
                case "/slow" -> {
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    body = "late".getBytes(StandardCharsets.UTF_8);
                }
                default -> body = "plain".getBytes(StandardCharsets.UTF_8);
            }
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private int port() {
        return server.getAddress().getPort();
    }

    private String url(String host, String path) {
        return "http://" + host + ":" + port() + path;
    }

    private WebFetchService fetcher(Map<String, Object> settings) {
        WebFetchService.Config config = (WebFetchService.Config) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {WebFetchService.Config.class}, (proxy, method, args) ->
                        settings.getOrDefault(method.getName(), method.getDefaultValue()));
        return new WebFetchService(config, Set.of("docs.test", "other.test"), host -> {
            lookups.incrementAndGet();
            InetAddress[] found = dns.get(host);
            return found != null ? found : InetAddress.getAllByName(host);
        }, () -> (SSLSocketFactory) SSLSocketFactory.getDefault(), audited::add);
    }

    private WebFetchService allowing(String... hosts) {
        return fetcher(Map.of("enabled", true, "allowedHosts", hosts, "allowHttp", true));
    }

    private static WebFetchRequest request(String url) {
        return new WebFetchRequest(url, 0, LONG, "web_fetch", "call-1", "test");
    }

    /** A fetch of {@code path} on docs.test that asks for at most {@code maxBytes}. */
    private WebFetchRequest limited(String path, long maxBytes) {
        return new WebFetchRequest(url("docs.test", path), maxBytes, LONG, "web_fetch", "c", "test");
    }

    private static WebFetchException refused(WebFetchService fetcher, String url) {
        return assertThrows(WebFetchException.class, () -> fetcher.fetch(request(url)));
    }

    @Test
    void offByDefaultWithoutAnyConnection() {
        WebFetchException e = refused(fetcher(Map.of()), url("docs.test", "/page"));
        assertEquals(Kind.DISABLED, e.kind());
        assertTrue(e.getMessage().contains("web fetching is off"), e.getMessage());
        assertTrue(e.getMessage().contains("io.boxagnts.webfetch"), e.getMessage());
        assertEquals(0, requests.get());
        assertEquals(1, audited.size());
        assertEquals("refused", audited.get(0).outcome());
        assertEquals("call-1", audited.get(0).callId());
    }

    @Test
    void anythingCanBeFetchedOnlyWhenOnWithAHostListed() {
        assertFalse(fetcher(Map.of()).allowsAnyHost(), "off by default");
        assertFalse(fetcher(Map.of("allowedHosts", new String[] {"docs.test"})).allowsAnyHost(), "listed but off");
        assertFalse(fetcher(Map.of("enabled", true)).allowsAnyHost(), "on without a host");
        assertFalse(fetcher(Map.of("enabled", true, "allowedHosts", new String[] {" ", ""})).allowsAnyHost());
        assertTrue(allowing("docs.test").allowsAnyHost());
    }

    @Test
    void anAllowedPageComesBackAsReadableTextWithoutCookiesOrCredentials() throws Exception {
        WebPage page = allowing("docs.test").fetch(request(url("docs.test", "/page")));
        assertEquals(200, page.status());
        assertEquals("text/html", page.contentType());
        assertFalse(page.truncated());
        assertEquals("# Guide\n\n# Install\n\nRun the installer.\n\n- one\n- two\n\na  b\n  c", page.text());
        assertEquals(1, requests.get());
        synchronized (requestHeaders) {
            assertTrue(requestHeaders.contains("host: [docs.test:" + port() + "]"), requestHeaders.toString());
            assertTrue(requestHeaders.stream().noneMatch(h -> h.startsWith("cookie") || h.startsWith("authorization")
                    || h.startsWith("proxy")), requestHeaders.toString());
        }
        WebAccess record = audited.get(0);
        assertEquals("ok", record.outcome());
        assertEquals(200, record.status());
        assertEquals("127.0.0.1:" + port(), record.address());
        assertTrue(record.bytes() > 100);
    }

    @Test
    void aHostOffTheListIsRefusedBeforeItIsLookedUp() {
        WebFetchException e = refused(allowing("docs.test"), url("other.test", "/page"));
        assertEquals(Kind.REFUSED, e.kind());
        assertTrue(e.getMessage().startsWith("other.test is not on the web allowlist"), e.getMessage());
        assertEquals(0, requests.get());
        assertEquals(0, lookups.get());
    }

    @Test
    void aRedirectOffTheListIsRefused() {
        WebFetchException e = refused(allowing("docs.test"), url("docs.test", "/away"));
        assertEquals(Kind.REFUSED, e.kind());
        assertTrue(e.getMessage().startsWith("redirected to evil.example, which is not on the web allowlist"),
                e.getMessage());
        assertEquals(1, requests.get());
        assertTrue(audited.get(0).detail().contains("https://evil.example/steal"), audited.get(0).detail());
    }

    @Test
    void aRedirectWithinTheListIsFollowed() throws Exception {
        WebPage page = allowing("docs.test", "other.test").fetch(request(url("docs.test", "/within")));
        assertEquals(200, page.status());
        assertEquals(url("other.test", "/page"), page.url());
        assertEquals(2, requests.get());
    }

    @Test
    void privateLoopbackAndLinkLocalAddressesAreRefusedEvenWhenTheirNameIsAllowed() throws Exception {
        dns.put("intranet.example", new InetAddress[] {InetAddress.getByName("10.1.2.3")});
        dns.put("mixed.example", new InetAddress[] {InetAddress.getByName("93.184.215.14"),
                InetAddress.getByName("fd00::1")});
        WebFetchService fetcher = allowing("intranet.example", "mixed.example", "localhost", "169.254.169.254",
                "::ffff:127.0.0.1", "::1");
        Map<String, String> expected = Map.of(
                "http://intranet.example/", "intranet.example resolves to 10.1.2.3, a private address",
                "http://mixed.example/", "mixed.example resolves to fd00:0:0:0:0:0:0:1, a private address",
                "http://localhost:" + port() + "/", "localhost resolves to 127.0.0.1, a loopback address",
                "http://169.254.169.254/latest/meta-data/", "a link-local address",
                "http://[::ffff:127.0.0.1]:" + port() + "/", "a loopback address",
                "http://[::1]:" + port() + "/", "a loopback address");
        for (var entry : expected.entrySet()) {
            WebFetchException e = refused(fetcher, entry.getKey());
            assertEquals(Kind.REFUSED, e.kind(), entry.getKey());
            assertTrue(e.getMessage().contains(entry.getValue()), e.getMessage());
        }
        assertEquals(0, requests.get());
    }

    @Test
    void theConnectionGoesToTheAddressThatWasChecked() throws Exception {
        // A name that would resolve to a private address the second time (DNS rebinding) is looked up once: the
        // connection is made to the address that passed the check.
        dns.put("rebind.example", new InetAddress[] {InetAddress.getByName("10.0.0.1")});
        WebFetchService fetcher = allowing("docs.test", "rebind.example");
        fetcher.fetch(request(url("docs.test", "/page")));
        assertEquals(0, lookups.get(), "a test loopback name is never looked up");
        refused(fetcher, "http://rebind.example/");
        assertEquals(1, lookups.get());
    }

    @Test
    void plainHttpAndCredentialsAreRefused() {
        WebFetchService httpsOnly = fetcher(Map.of("enabled", true, "allowedHosts", new String[] {"docs.test"}));
        WebFetchException http = refused(httpsOnly, url("docs.test", "/page"));
        assertEquals(Kind.REFUSED, http.kind());
        assertTrue(http.getMessage().contains("only https is allowed"), http.getMessage());
        WebFetchException credentials = refused(allowing("docs.test"), "http://user:secret@docs.test:" + port() + "/");
        assertTrue(credentials.getMessage().contains("never sends credentials"), credentials.getMessage());
        assertFalse(audited.stream().anyMatch(a -> a.detail().contains("secret") || a.url().contains("secret")),
                "the audit log keeps no credential");
        assertEquals("http://***@docs.test:" + port() + "/", audited.get(audited.size() - 1).url());
        assertEquals(Kind.INVALID_URL, refused(allowing("docs.test"), "file:///etc/passwd").kind());
        assertEquals(0, requests.get());
    }

    @Test
    void aLongBodyIsCutAtTheByteLimit() throws Exception {
        WebPage page = allowing("docs.test").fetch(new WebFetchRequest(url("docs.test", "/big"), 1000, LONG,
                "web_fetch", "c", "test"));
        assertTrue(page.truncated());
        assertEquals(1000, page.text().length());
        WebFetchService small = fetcher(Map.of("enabled", true, "allowedHosts", new String[] {"docs.test"},
                "allowHttp", true, "maxKb", 2L));
        WebPage capped = small.fetch(request(url("docs.test", "/big")));
        assertTrue(capped.truncated());
        assertEquals(2048, capped.text().length(), "the policy's limit applies when the tool asks for more");
    }

    @Test
    void anAnswerThatNeverEndsIsReadToTheLimitAndNoFurther() throws Exception {
        WebFetchService fetcher = allowing("docs.test");
        for (String path : new String[] {"/endless", "/endless-declared"}) {
            WebPage page = fetcher.fetch(limited(path, 5000));
            assertTrue(page.truncated(), path);
            assertEquals("0123456789".repeat(500), page.text(), path);
            assertEquals(5000, audited.get(audited.size() - 1).bytes(), "what was read of " + path);
        }
        // the server's writes failed: the fetch closed the connection instead of reading on
        assertTrue(hungUp.await(30, TimeUnit.SECONDS));
    }

    @Test
    void anAnswerOfExactlyTheLimitIsNotTruncated() throws Exception {
        WebFetchService fetcher = allowing("docs.test");
        for (String path : new String[] {"/exact", "/exact?chunked"}) {
            WebPage page = fetcher.fetch(limited(path, 1000));
            assertFalse(page.truncated(), path);
            assertEquals(1000, page.text().length(), path);
            WebPage less = fetcher.fetch(limited(path, 999));
            assertTrue(less.truncated(), path);
            assertEquals(999, less.text().length(), path);
        }
    }

    @Test
    void aServerThatDoesNotAnswerIsStoppedAtTheTimeLimit() {
        WebFetchException e = assertThrows(WebFetchException.class, () -> allowing("docs.test").fetch(
                new WebFetchRequest(url("docs.test", "/slow"), 0, Duration.ofMillis(300), "web_fetch", "c", "t")));
        assertEquals(Kind.TIMEOUT, e.kind());
        assertTrue(e.getMessage().contains("300 ms"), e.getMessage());
        assertEquals("failed", audited.get(0).outcome());
    }

    @Test
    void binaryAnswersAreRefusedAsNotText() {
        WebFetchException e = refused(allowing("docs.test"), url("docs.test", "/image"));
        assertEquals(Kind.FAILED, e.kind());
        assertTrue(e.getMessage().contains("image/png"), e.getMessage());
    }
}
