package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import io.boxagnts.api.audit.AuditLog;
import io.boxagnts.api.audit.AuditQuery;
import io.boxagnts.api.runtime.RuntimeProperties;
import io.boxagnts.api.tool.CallOrigin;
import io.boxagnts.api.tool.ToolError;
import io.boxagnts.api.tool.ToolException;
import io.boxagnts.api.tool.ToolRegistry;
import io.boxagnts.api.tool.ToolRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.stream.Stream;
import javax.inject.Inject;
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
    public Option[] config() throws IOException {
        web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        web.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
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
        });
        web.start();
        return Stream.concat(Arrays.stream(RuntimeContainer.options()), Stream.of(
                frameworkProperty("boxagnts.webfetch.testLoopbackHosts").value("docs.test,other.test"),
                frameworkProperty(PORT).value(Integer.toString(web.getAddress().getPort()))))
                .toArray(Option[]::new);
    }

    private String url(String host, String path) {
        return "http://" + host + ":" + context.getProperty(PORT) + path;
    }

    private JsonObject fetch(String url) throws ToolException {
        return JsonParser.parseString(registry.tool("web_fetch").orElseThrow().tool().invoke(new ToolRequest(
                "it-fetch", "{\"url\":\"" + url + "\"}", new CallOrigin("web fetch it", "test", ""))).output())
                .getAsJsonObject();
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
        Path plugins = Path.of(context.getProperty(RuntimeProperties.PLUGINS_DIR));
        for (Path jar : RuntimeContainer.toolBundles()) {
            if (jar.getFileName().toString().startsWith("io.boxagnts.tool.web_fetch")) {
                TestBundles.drop(jar, plugins, jar.getFileName().toString());
            }
        }
        Await.until("web_fetch is registered", () -> registry.tool("web_fetch").isPresent());

        ToolException off = refused(url("docs.test", "/notes"));
        assertEquals(off.getMessage(), ToolError.Kind.PERMISSION_DENIED, off.error().kind());
        assertTrue(off.getMessage(), off.getMessage().contains("web fetching is off"));

        policy("enabled", true, "allowedHosts", new String[] {"docs.test", "localhost"}, "allowHttp", true);
        Await.until("the policy applies", () -> {
            try {
                return fetch(url("docs.test", "/notes")).get("status").getAsInt() == 200;
            } catch (ToolException e) {
                return false;
            }
        });
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
        Await.until("deleting the file turns fetching off again", () -> {
            try {
                fetch(url("other.test", "/notes"));
                return false;
            } catch (ToolException e) {
                return e.getMessage().contains("web fetching is off");
            }
        });
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
