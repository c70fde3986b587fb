package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.boxagnts.api.audit.AuditLog;
import io.boxagnts.api.audit.AuditQuery;
import io.boxagnts.api.runtime.RuntimeProperties;
import io.boxagnts.api.tool.CallOrigin;
import io.boxagnts.api.tool.ToolError;
import io.boxagnts.api.tool.ToolException;
import io.boxagnts.api.tool.ToolRegistry;
import io.boxagnts.api.tool.ToolRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import javax.inject.Inject;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * The shipped {@code web_fetch} tool through the real registry, sandbox and web policy in the container, against a
 * local HTTP server standing for the web. The test lets the names {@code docs.test} and {@code other.test} resolve to
 * the loopback address with the test-only framework property (decision 0024); every other name, {@code localhost}
 * among them, is resolved and judged as in production.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WebFetchIT {

    private static final String PORT = "boxagnts.it.webPort";
    private static final String TLS_PORT = "boxagnts.it.webTlsPort";
    private static HttpServer web;

    @Inject
    private BundleContext context;

    @Inject
    private ToolRegistry registry;

    @Inject
    private ConfigurationAdmin configurations;

    @Inject
    private AuditLog audit;

    @Inject
    private MetaTypeService metaTypes;

    @Configuration
    public Option[] config() throws Exception {
        web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        web.createContext("/", WebFetchIT::answer);
        web.setExecutor(Executors.newCachedThreadPool()); // a slow answer must not hold up the others
        web.start();
        // The same site over https, with a certificate for docs.test made here, which the runtime trusts only through
        // the test-only property (decision 0024); its host name is still verified.
        Path keys = TempDirs.create("web-tls");
        Path keyStore = keys.resolve("docs.p12");
        Path certificate = keys.resolve("docs.pem");
        keytool("-genkeypair", "-alias", "docs", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=docs.test",
                "-ext", "SAN=dns:docs.test", "-validity", "2", "-keystore", keyStore.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "docs", "-keystore", keyStore.toString(), "-storepass", "changeit",
                "-file", certificate.toString());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        HttpsServer secure = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        secure.setHttpsConfigurator(new HttpsConfigurator(tls));
        secure.createContext("/", WebFetchIT::answer);
        secure.setExecutor(Executors.newCachedThreadPool());
        secure.start();
        return Stream.concat(Arrays.stream(RuntimeContainer.options()), Stream.of(
                frameworkProperty("boxagnts.webfetch.testLoopbackHosts").value("docs.test,other.test"),
                frameworkProperty("boxagnts.webfetch.testTrustedCertificates").value(certificate.toString()),
                frameworkProperty(PORT).value(Integer.toString(web.getAddress().getPort())),
                frameworkProperty(TLS_PORT).value(Integer.toString(secure.getAddress().getPort()))))
                .toArray(Option[]::new);
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
                "keytool").toString()));
        command.addAll(List.of(args));
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(output, 0, keytool.waitFor());
    }

    /** The site: release notes, a redirect off the list, an answer that never ends, and one that trickles. */
    private static void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/slow")) {
            trickle(exchange);
            return;
        }
        if (path.equals("/endless")) {
            endless(exchange);
            return;
        }
        if (path.equals("/away")) {
            exchange.getResponseHeaders().add("Location", "https://evil.example/collect");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
            return;
        }
        byte[] body = ("<html><head><title>Release notes</title></head><body><h2>1.2</h2><p>Faster "
                + "<a href=\"/x\">grep</a>.</p><script>track()</script></body></html>")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    /** A plain-text answer that never ends: only a client that stops at its limit gets an answer. */
    private static void endless(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        byte[] block = "0123456789abcdef".repeat(1024).getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = exchange.getResponseBody()) {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            // the client hung up at its limit
        }
    }

    /**
     * A server that answers but never finishes: one byte of a chunked body every 100 ms, until the client hangs up
     * (the write fails) or a minute has passed.
     */
    private static void trickle(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < 600; i++) {
                out.write('.');
                out.flush();
                Thread.sleep(100);
            }
        } catch (IOException | InterruptedException e) {
            // the client gave up: what the test waits for
        }
    }

    private void installed() throws Exception {
        if (registry.tool("web_fetch").isPresent()) {
            return;
        }
        TestBundles.dropShippedTool(Path.of(context.getProperty(RuntimeProperties.PLUGINS_DIR)), "web_fetch");
        Await.until("web_fetch is registered", () -> registry.tool("web_fetch").isPresent());
    }

    /** Sets the policy and waits until a fetch of {@code probe} succeeds under it. */
    private void policyApplied(String probe, Object... keyValues) throws Exception {
        policy(keyValues);
        Await.until("the policy applies", () -> {
            try {
                return fetch(probe).get("status").getAsInt() == 200;
            } catch (ToolException e) {
                return false;
            }
        });
    }

    /** Waits until a fetch of {@code probe} is refused because fetching is off. */
    private void awaitOff(String what, String probe) throws Exception {
        Await.until(what, () -> {
            try {
                fetch(probe);
                return false;
            } catch (ToolException e) {
                return e.getMessage().contains("web fetching is off");
            }
        });
    }

    private String url(String host, String path) {
        return "http://" + host + ":" + context.getProperty(PORT) + path;
    }

    private JsonObject fetch(String url) throws ToolException {
        return fetch(url, "");
    }

    /** @param more further input fields, e.g. {@code ,"max_bytes":5000} */
    private JsonObject fetch(String url, String more) throws ToolException {
        return JsonParser.parseString(registry.tool("web_fetch").orElseThrow().tool().invoke(new ToolRequest(
                "it-fetch", "{\"url\":\"" + url + "\"" + more + "}", new CallOrigin("web fetch it", "test", "")))
                .output()).getAsJsonObject();
    }

    private String secureUrl(String host, String path) {
        return "https://" + host + ":" + context.getProperty(TLS_PORT) + path;
    }

    private ToolException refused(String url) {
        return assertThrows(ToolException.class, () -> fetch(url));
    }

    private void policy(Object... keyValues) throws Exception {
        Dictionary<String, Object> properties = new Hashtable<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put((String) keyValues[i], keyValues[i + 1]);
        }
        configurations.getConfiguration("io.boxagnts.webfetch", "?").update(properties);
    }

    @Test
    public void offByDefaultThenOnlyTheAllowlistedPublicWeb() throws Exception {
        installed();

        ToolException off = refused(url("docs.test", "/notes"));
        assertEquals(off.getMessage(), ToolError.Kind.PERMISSION_DENIED, off.error().kind());
        assertTrue(off.getMessage(), off.getMessage().contains("web fetching is off"));

        policyApplied(url("docs.test", "/notes"), "enabled", true, "allowedHosts", new String[] {"docs.test",
                "localhost"}, "allowHttp", true);
        JsonObject page = fetch(url("docs.test", "/notes"));
        assertEquals("text/html", page.get("content_type").getAsString());
        assertFalse(page.get("truncated").getAsBoolean());
        assertEquals("# Release notes\n\n## 1.2\n\nFaster grep.", page.get("text").getAsString());

        ToolException offList = refused(url("other.test", "/notes"));
        assertEquals(ToolError.Kind.PERMISSION_DENIED, offList.error().kind());
        assertTrue(offList.getMessage(), offList.getMessage().contains("other.test is not on the web allowlist"));

        ToolException redirect = refused(url("docs.test", "/away"));
        assertEquals(ToolError.Kind.PERMISSION_DENIED, redirect.error().kind());
        assertTrue(redirect.getMessage(), redirect.getMessage().contains("redirected to evil.example"));

        ToolException loopback = refused(url("localhost", "/notes"));
        assertEquals(ToolError.Kind.PERMISSION_DENIED, loopback.error().kind());
        assertTrue(loopback.getMessage(), loopback.getMessage().contains("a loopback address"));

        ToolException badUrl = refused("ftp://docs.test/x");
        assertEquals(ToolError.Kind.INVALID_INPUT, badUrl.error().kind());

        List<String> records = audit.find(new AuditQuery(null, "web_fetch", AuditQuery.WEB_FETCH, 100));
        assertTrue(records.toString(), records.stream().anyMatch(r -> r.contains("\"outcome\":\"ok\"")
                && r.contains("\"status\":200") && r.contains("\"caller\":\"web fetch it\"")));
        assertTrue(records.toString(), records.stream().anyMatch(r -> r.contains("\"outcome\":\"refused\"")
                && r.contains("evil.example")));

        // The same policy as a file in conf/, as an administrator would deploy it.
        configurations.getConfiguration("io.boxagnts.webfetch", "?").delete();
        Path conf = Path.of(context.getProperty("felix.fileinstall.dir").split(",")[1]);
        Path file = conf.resolve("io.boxagnts.webfetch.cfg");
        TestBundles.writeWhole(file, "enabled=true\nallowedHosts=other.test\nallowHttp=true\n");
        Await.until("the file's policy applies", () -> {
            try {
                return fetch(url("other.test", "/notes")).get("status").getAsInt() == 200;
            } catch (ToolException e) {
                return false;
            }
        });
        assertTrue(refused(url("docs.test", "/notes")).getMessage().contains("not on the web allowlist"));
        Files.delete(file);
        awaitOff("deleting the file turns fetching off again", url("other.test", "/notes"));
    }

    @Test
    public void aFetchThatRunsOutOfTimeEndsAsATimeoutLikeAnyToolAtItsLimit() throws Exception {
        installed();
        try {
            policyApplied(url("docs.test", "/notes"), "enabled", true, "allowedHosts", new String[] {"docs.test"},
                    "allowHttp", true, "timeoutMs", 700L);
            ToolException policyLimit = refused(url("docs.test", "/slow"));
            assertEquals(policyLimit.getMessage(), ToolError.Kind.TIMEOUT, policyLimit.error().kind());
            assertTrue(policyLimit.getMessage(), policyLimit.getMessage().contains("web_fetch: the fetch of http://"
                    + "docs.test:" + context.getProperty(PORT) + "/slow did not finish within its time limit of 700 ms "
                    + "(the web policy's timeoutMs)"));

            // The tool's own time limit, lowered below the policy's: the fetch gets what is left of the call (and
            // ends before the sandbox would stop the call, unless the machine is too busy for the margin): TIMEOUT
            // either way.
            policy("enabled", true, "allowedHosts", new String[] {"docs.test"}, "allowHttp", true);
            ToolPolicies.set(configurations, registry, "web_fetch",
                    t -> t.grant().limits().timeout().equals(Duration.ofMillis(1500)), "timeoutMs", "1500");
            ToolException toolLimit = refused(url("docs.test", "/slow"));
            assertEquals(toolLimit.getMessage(), ToolError.Kind.TIMEOUT, toolLimit.error().kind());
            assertTrue(toolLimit.getMessage(), toolLimit.getMessage().contains("did not finish within its"));

            List<String> records = audit.find(new AuditQuery(null, "web_fetch", AuditQuery.WEB_FETCH, 100));
            assertTrue(records.toString(), records.stream().anyMatch(r -> r.contains("\"outcome\":\"failed\"")
                    && r.contains("/slow") && r.contains("did not finish within its time limit of 700 ms")));
        } finally {
            configurations.getConfiguration("io.boxagnts.webfetch", "?").delete();
            ToolPolicies.removeAll(configurations);
            awaitOff("web fetching is off again", url("docs.test", "/notes"));
            Await.until("web_fetch has its declared time limit again", () -> registry.tool("web_fetch").orElseThrow()
                    .grant().limits().timeout().equals(Duration.ofSeconds(30)));
        }
    }

    @Test
    public void httpsWithTheTestsCertificateAndALargeAnswerCutAtTheLimit() throws Exception {
        installed();
        try {
            // https only (the default): the test's certificate is trusted through the test-only property
            policyApplied(secureUrl("docs.test", "/notes"), "enabled", true, "allowedHosts",
                    new String[] {"docs.test", "other.test"});
            JsonObject page = fetch(secureUrl("docs.test", "/notes"));
            assertEquals("# Release notes\n\n## 1.2\n\nFaster grep.", page.get("text").getAsString());
            assertEquals(secureUrl("docs.test", "/notes"), page.get("url").getAsString());

            // the host name is still verified: the certificate is for docs.test, not other.test
            ToolException otherName = refused(secureUrl("other.test", "/notes"));
            assertEquals(otherName.getMessage(), ToolError.Kind.TOOL_FAILED, otherName.error().kind());
            assertTrue(otherName.getMessage(), otherName.getMessage().contains("TLS failed"));

            // An answer that never ends comes back cut at the tool's max_bytes: reading stopped there.
            JsonObject cut = fetch(secureUrl("docs.test", "/endless"), ",\"max_bytes\":5000");
            assertEquals(200, cut.get("status").getAsInt());
            assertEquals("text/plain", cut.get("content_type").getAsString());
            assertTrue(cut.get("truncated").getAsBoolean());
            assertEquals(5000, cut.get("text").getAsString().length());
            assertTrue(cut.get("text").getAsString().startsWith("0123456789abcdef0123"));
            List<String> records = audit.find(new AuditQuery(null, "web_fetch", AuditQuery.WEB_FETCH, 100));
            assertTrue(records.toString(), records.stream().anyMatch(r -> r.contains("/endless")
                    && r.contains("\"outcome\":\"ok\"") && r.contains("\"bytes\":5000,")));
        } finally {
            configurations.getConfiguration("io.boxagnts.webfetch", "?").delete();
            awaitOff("web fetching is off again", secureUrl("docs.test", "/notes"));
        }
    }

    @Test
    public void thePolicyIsDescribedForTheConsole() {
        Bundle owner = Arrays.stream(context.getBundles()).filter(b -> "io.boxagnts.webfetch"
                .equals(b.getSymbolicName())).findFirst().orElseThrow();
        MetaTypeInformation info = metaTypes.getMetaTypeInformation(owner);
        assertTrue(Arrays.asList(info.getPids()).contains("io.boxagnts.webfetch"));
        ObjectClassDefinition ocd = info.getObjectClassDefinition("io.boxagnts.webfetch", null);
        List<String> ids = Arrays.stream(ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)).map(a -> a.getID())
                .toList();
        assertEquals(List.of("enabled", "allowedHosts", "allowHttp", "maxKb", "timeoutMs", "maxRedirects"), ids);
    }
}
