package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxagnts.api.runtime.RuntimeProperties;
import io.boxagnts.api.tool.CallOrigin;
import io.boxagnts.api.tool.RegisteredTool;
import io.boxagnts.api.tool.ToolError;
import io.boxagnts.api.tool.ToolException;
import io.boxagnts.api.tool.ToolRegistry;
import io.boxagnts.api.tool.ToolRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The shipped {@code js} tool (Duktape in the sandbox) through the real registry in the container: console.log,
 * the completion value and args, errors the code throws, the workspace through fs (and a read-only grant refusing
 * the write), an endless loop stopped at the time limit, memory and output limits.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class JsToolIT {

    @Inject
    private BundleContext context;

    @Inject
    private ToolRegistry registry;

    @Inject
    private ConfigurationAdmin configurations;

    @Configuration
    public Option[] config() throws IOException {
        return RuntimeContainer.options();
    }

    private Path workspace() {
        return Path.of(context.getProperty(RuntimeProperties.WORKSPACE));
    }

    @Before
    public void shipJs() throws Exception {
        TestBundles.dropShippedTool(Path.of(context.getProperty(RuntimeProperties.PLUGINS_DIR)), "js");
        Await.until("js is registered", () -> registry.tool("js").isPresent());
    }

    @After
    public void removePolicy() throws Exception {
        ToolPolicies.removeAll(configurations);
        Await.until("js runs as declared again", () -> registry.tool("js").orElseThrow().policy().isEmpty());
    }

    private JsonObject run(String code, String args) throws ToolException {
        JsonObject input = new JsonObject();
        input.addProperty("code", code);
        if (args != null) {
            input.add("args", JsonParser.parseString(args));
        }
        return JsonParser.parseString(registry.tool("js").orElseThrow().tool().invoke(new ToolRequest("it-js",
                input.toString(), new CallOrigin("js it", "test", ""))).output()).getAsJsonObject();
    }

    private void policy(Predicate<RegisteredTool> applied, Object... keyValues) throws Exception {
        ToolPolicies.set(configurations, registry, "js", applied, keyValues);
    }

    @Test
    public void runsCodeWithConsoleArgsAndItsValue() throws Exception {
        JsonObject out = run("console.log('n =', args.n, {ok: true}); [1, 2, 3].map(function (x) { return x * args.n; })",
                "{\"n\":2}");
        assertEquals("n = 2 {\"ok\":true}\n", out.get("stdout").getAsString());
        assertEquals("[2,4,6]", out.get("result").toString());
        assertTrue(out.get("error").isJsonNull());
        assertFalse(out.get("truncated").getAsBoolean());

        JsonObject thrown = run("var a = 1;\nnull.x", null);
        assertTrue(thrown.get("result").isJsonNull());
        assertTrue(thrown.toString(), thrown.get("error").getAsString().startsWith("TypeError"));
        assertTrue(thrown.toString(), thrown.get("error").getAsString().endsWith("(line 2)"));

        ToolException bad = assertThrows(ToolException.class, () -> registry.tool("js").orElseThrow().tool()
                .invoke(new ToolRequest("it-js", "{\"cod\":\"1\"}", new CallOrigin("js it", "test", ""))));
        assertEquals(ToolError.Kind.INVALID_INPUT, bad.error().kind());
        assertTrue(bad.getMessage(), bad.getMessage().contains("unknown field 'cod'"));
    }

    /** The array methods that call back, which the tool's prelude implements in JavaScript, as ES5.1 says. */
    @Test
    public void arrayMethodsWithCallbacksBehaveAsTheStandardSays() throws Exception {
        JsonObject out = run("var o = [];"
                + "o.push([3, 1, 2].map(function (x, i, a) { return x * 2 + i + a.length; }));"
                + "o.push([1, , 3].filter(function () { return true; }).length);"
                + "o.push([[0, 1], [2, 3]].reduceRight(function (a, b) { return a.concat(b); }));"
                + "o.push([5, 1, 4, undefined, 2].sort(function (a, b) { return b - a; }));"
                + "o.push([{k: 1, v: 'a'}, {k: 0, v: 'b'}, {k: 1, v: 'c'}, {k: 0, v: 'd'}]"
                + "  .sort(function (x, y) { return x.k - y.k; }).map(function (x) { return x.v; }).join(''));"
                + "o.push([1, 2].some(function (x) { return x > 1; }), [1, 2].every(function (x) { return x > 1; }));"
                + "o.push([3, 1, 2].sort(), Object.keys(Array.prototype).length, [].map.length);"
                + "var t = {}; [1].forEach(function () { o.push(this === t); }, t);"
                + "try { [].reduce(function (a) { return a; }); } catch (e) { o.push(e.name); }"
                + "try { [1].map(5); } catch (e) { o.push(e.name); }"
                + "o", null);
        assertTrue(out.toString(), out.get("error").isJsonNull());
        assertEquals("[[9,6,9],2,[2,3,0,1],[5,4,2,1,null],\"bdac\",true,false,[1,2,3],0,1,true,\"TypeError\","
                + "\"TypeError\"]", out.get("result").toString());

        JsonObject thrown = run("[1, 2].map(function (x) {\n  if (x > 1) throw new RangeError('too big: ' + x);\n})", null);
        assertEquals("RangeError: too big: 2 (line 2)", thrown.get("error").getAsString());
    }

    @Test
    public void readsAndWritesTheWorkspaceAndAReadOnlyGrantRefusesTheWrite() throws Exception {
        Files.writeString(workspace().resolve("in.json"), "{\"items\":[3,1,2]}");
        Files.createDirectories(workspace().resolve("sub"));
        JsonObject out = run("var d = JSON.parse(fs.readFileSync('in.json')); d.items.sort();"
                + "fs.writeFileSync('/sub/out.txt', d.items.join(',')); fs.readdirSync('.')", null);
        assertTrue(out.toString(), out.get("error").isJsonNull());
        assertEquals("1,2,3", Files.readString(workspace().resolve("sub/out.txt")));
        assertTrue(out.get("result").toString(), out.get("result").toString().contains("\"in.json\",\"sub\""));

        policy(t -> t.grant().permissions().workspace().name().equals("READ"), "workspace", "read");
        JsonObject refused = run("fs.writeFileSync('new.txt', 'x')", null);
        assertTrue(refused.toString(), refused.get("error").getAsString().contains("'new.txt'"));
        assertFalse(Files.exists(workspace().resolve("new.txt")));
        assertEquals("{\"items\":[3,1,2]}", run("fs.readFileSync('in.json')", null).get("result").getAsString());
    }

    @Test
    public void anEndlessLoopIsStoppedAtTheTimeLimit() throws Exception {
        policy(t -> t.grant().limits().timeout().toMillis() == 1500, "timeoutMs", 1500L);
        ToolException stopped = assertThrows(ToolException.class, () -> run("while (true) {}", null));
        assertEquals(stopped.getMessage(), ToolError.Kind.TIMEOUT, stopped.error().kind());
        assertTrue(stopped.getMessage(), stopped.getMessage().contains("1500 ms"));
    }

    @Test
    public void memoryAndOutputAreLimited() throws Exception {
        policy(t -> t.grant().limits().maxMemoryBytes() == 32L << 20, "maxMemoryMb", 32L);
        String hog = "var a = [], s = 'xxxxxxxx'; while (true) { s = s + s; a.push(s); } a.length";
        try {
            JsonObject out = run(hog, null);
            assertTrue(out.toString(), out.get("error").getAsString().contains("alloc"));
        } catch (ToolException e) {
            assertEquals(e.getMessage(), ToolError.Kind.MEMORY_LIMIT, e.error().kind());
        }
        JsonObject flood = run("for (var i = 0; i < 5000; i++) console.log(new Array(200).join('y')); 'done'", null);
        assertTrue(flood.get("truncated").getAsBoolean());
        assertEquals(256 << 10, flood.get("stdout").getAsString().length());
        assertEquals("done", flood.get("result").getAsString());
    }
}
