package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.boxagnts.api.runtime.RuntimeProperties;
import io.boxagnts.api.tool.RefusedTool;
import io.boxagnts.api.tool.Tool;
import io.boxagnts.api.tool.ToolError;
import io.boxagnts.api.tool.ToolException;
import io.boxagnts.api.tool.ToolRegistry;
import io.boxagnts.api.tool.ToolRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * The hostile-module suite inside the real container: each module arrives as a tool bundle dropped in plugins/, is
 * registered by the sandbox extender, and is contained with its typed error; the shipped Rust tools are attacked
 * through the workspace; the runtime keeps answering /api/health throughout.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SandboxIT {

    @Inject
    private BundleContext context;

    @Inject
    private ToolRegistry registry;

    @Configuration
    public Option[] config() throws IOException {
        return RuntimeContainer.options();
    }

    private Path plugins() {
        return Path.of(context.getProperty(RuntimeProperties.PLUGINS_DIR));
    }

    private Path workspace() {
        return Path.of(context.getProperty("boxagnts.workspace"));
    }

    private Tool deploy(String name, String workspaceAccess, long timeoutMs) throws Exception {
        Path jar = TestBundles.toolBundle(TempDirs.create("tool"), name, TestBundles.hostileModule(name),
                workspaceAccess, timeoutMs);
        TestBundles.drop(jar, plugins(), name + ".jar");
        return awaitTool(name);
    }

    private Tool awaitTool(String name) throws Exception {
        Await.until("tool " + name + " is registered", () -> registry.tool(name).isPresent());
        return registry.tool(name).orElseThrow().tool();
    }

    private static ToolError.Kind kindOf(Tool tool, String input) {
        try {
            tool.invoke(new ToolRequest("it", input));
        } catch (ToolException e) {
            return e.error().kind();
        }
        throw new AssertionError(tool.spec().name() + " was expected to fail");
    }

    private void assertHealthAnswers() throws Exception {
        String url = Http.containerBase(context::getProperty) + "/api/health";
        assertEquals(200, Http.get(url).status());
    }

    @Test
    public void hostileModulesAreContainedWithTheirTypedError() throws Exception {
        assertEquals("{\"hi\":1}", deploy("echo", "none", 5000).invoke(new ToolRequest("it", "{\"hi\":1}")).output());
        assertEquals(ToolError.Kind.TIMEOUT, kindOf(deploy("loop", "none", 500), "{}"));
        assertEquals(ToolError.Kind.OUTPUT_TOO_LARGE, kindOf(deploy("flood", "none", 5000), "{}"));
        ToolError.Kind recursion = kindOf(deploy("recursion", "none", 5000), "{}");
        assertTrue(recursion.toString(), recursion == ToolError.Kind.MEMORY_LIMIT || recursion == ToolError.Kind.MODULE_TRAP);
        assertEquals(ToolError.Kind.MEMORY_LIMIT, kindOf(deploy("membomb", "none", 5000), "{}"));
        assertEquals(ToolError.Kind.BAD_OUTPUT, kindOf(deploy("notjson", "none", 5000), "{}"));
        Files.writeString(workspace().resolve("a.txt"), "x");
        assertEquals(ToolError.Kind.TOOL_FAILED, kindOf(deploy("openmany", "read", 5000), "{}"));
        Tool echo = awaitTool("echo");
        assertEquals(ToolError.Kind.INVALID_INPUT, kindOf(echo, "{broken"));
        assertEquals(ToolError.Kind.INVALID_INPUT, kindOf(echo, "{\"x\":\"" + "y".repeat(2 << 20) + "\"}"));
        assertHealthAnswers();
    }

    @Test
    public void writingThroughAReadOnlyGrantIsAPermissionError() throws Exception {
        byte[] writeFile = Files.readAllBytes(Path.of(System.getProperty("boxagnts.test.tools.wasm"), "write_file.wasm"));
        Path jar = TestBundles.toolBundle(TempDirs.create("tool"), "write_file_ro", writeFile, "read", 5000, 64);
        TestBundles.drop(jar, plugins(), "write_file_ro.jar");
        Tool readOnlyWriter = awaitTool("write_file_ro");
        ToolException e = org.junit.Assert.assertThrows(ToolException.class, () -> readOnlyWriter.invoke(
                new ToolRequest("it", "{\"path\":\"planted.txt\",\"content\":\"x\"}")));
        assertEquals(e.getMessage(), ToolError.Kind.PERMISSION_DENIED, e.error().kind());
        assertTrue(e.getMessage(), e.getMessage().contains("read-only"));
        assertFalse(Files.exists(workspace().resolve("planted.txt")));
    }

    @Test
    public void replacingAToolBundleSwitchesNewCallsAndLetsTheCallInFlightFinish() throws Exception {
        Path first = TestBundles.toolBundle(TempDirs.create("v1"), "swap", TestBundles.hostileModule("slow"),
                "none", 60_000);
        TestBundles.drop(first, plugins(), "swap.jar");
        Tool old = awaitTool("swap");
        java.util.concurrent.CompletableFuture<String> inFlight = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return old.invoke(new ToolRequest("in-flight", "{}")).output();
            } catch (ToolException e) {
                return e.toString();
            }
        });
        Thread.sleep(200); // let the call start; it counts for a few seconds
        assertFalse("the first call is still running when its bundle is replaced", inFlight.isDone());
        Path second = TestBundles.toolBundle(TempDirs.create("v2"), "swap", TestBundles.hostileModule("echo"),
                "none", 5000);
        TestBundles.drop(second, plugins(), "swap.jar");
        Await.until("the new swap serves", () -> registry.tool("swap").map(t -> t.tool() != old).orElse(false));
        assertEquals("{\"v\":2}", registry.tool("swap").orElseThrow().tool()
                .invoke(new ToolRequest("new", "{\"v\":2}")).output());
        assertEquals("{}", inFlight.get(Await.DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
    }

    @Test
    public void aModuleWithoutMemoryMaximumIsRefusedWithItsReason() throws Exception {
        Path jar = TestBundles.toolBundle(TempDirs.create("tool"), "unbounded",
                TestBundles.hostileModule("unbounded"), "none", 5000);
        TestBundles.drop(jar, plugins(), "unbounded.jar");
        Await.until("the unbounded tool is refused",
                () -> registry.refused().stream().anyMatch(r -> r.bundle().equals("test.tool.unbounded")));
        RefusedTool refusal = registry.refused().stream().filter(r -> r.bundle().equals("test.tool.unbounded"))
                .findFirst().orElseThrow();
        assertTrue(refusal.reason(), refusal.reason().contains("no maximum"));
        assertFalse(registry.tool("unbounded").isPresent());
        assertHealthAnswers();
    }

    private static ToolException failure(Tool tool, String input) {
        return org.junit.Assert.assertThrows(ToolException.class, () -> tool.invoke(new ToolRequest("it", input)));
    }

    @Test
    public void hardLinksPipesAndLinksOutAreRefusedToTheShippedToolsWithTheirReason() throws Exception {
        for (Path jar : RuntimeContainer.toolBundles()) {
            TestBundles.drop(jar, plugins(), jar.getFileName().toString());
        }
        Path outside = Files.writeString(TempDirs.create("outside").resolve("secret.txt"), "top secret");
        Files.createLink(workspace().resolve("hard.txt"), outside);
        Files.createSymbolicLink(workspace().resolve("link.txt"), outside);
        assertEquals(0, new ProcessBuilder("mkfifo", workspace().resolve("pipe").toString()).start().waitFor());
        try {
            refusedWithTheirReason(outside);
        } finally {
            for (String name : new String[] {"hard.txt", "link.txt", "pipe"}) {
                Files.deleteIfExists(workspace().resolve(name));
            }
        }
    }

    private void refusedWithTheirReason(Path outside) throws Exception {
        Tool read = awaitTool("read_file");
        Tool write = awaitTool("write_file");
        Tool edit = awaitTool("edit_file");

        ToolException written = failure(write, "{\"path\":\"hard.txt\",\"content\":\"PWNED\"}");
        assertEquals(written.getMessage(), ToolError.Kind.PERMISSION_DENIED, written.error().kind());
        assertTrue(written.getMessage(), written.error().message().startsWith("'hard.txt' has other hard links; "
                + "writing through it could change a file outside the workspace"));
        ToolException edited = failure(edit, "{\"path\":\"hard.txt\",\"old_string\":\"top\",\"new_string\":\"PWNED\"}");
        assertEquals(edited.getMessage(), ToolError.Kind.PERMISSION_DENIED, edited.error().kind());
        assertTrue(edited.getMessage(), edited.error().message().startsWith("'hard.txt' has other hard links; "));
        ToolException readLinked = failure(read, "{\"path\":\"hard.txt\"}");
        assertEquals(readLinked.getMessage(), ToolError.Kind.PERMISSION_DENIED, readLinked.error().kind());
        assertEquals("top secret", Files.readString(outside));

        // A FIFO is refused at once, not waited on until the tool's time limit.
        assertEquals(ToolError.Kind.PERMISSION_DENIED, kindOf(read, "{\"path\":\"pipe\"}"));

        ToolException linked = failure(read, "{\"path\":\"link.txt\"}");
        assertEquals(linked.getMessage(), ToolError.Kind.PERMISSION_DENIED, linked.error().kind());
        assertTrue(linked.getMessage(), linked.error().message().startsWith("the tool tried to follow /link.txt, a "
                + "symbolic link that leads outside the workspace"));
        assertFalse(linked.getMessage(), linked.error().message().contains("no such file"));
        assertHealthAnswers();
    }

    @Test
    public void theShippedToolsCannotLeaveTheWorkspace() throws Exception {
        for (Path jar : RuntimeContainer.toolBundles()) {
            TestBundles.drop(jar, plugins(), jar.getFileName().toString());
        }
        Path outside = Files.writeString(TempDirs.create("outside").resolve("secret.txt"), "top secret");
        Files.createSymbolicLink(workspace().resolve("link-out"), outside);
        Files.createSymbolicLink(workspace().resolve("dir-out"), outside.getParent());
        Files.writeString(workspace().resolve("notes.md"), "TODO: one\n");

        Tool read = awaitTool("read_file");
        Tool write = awaitTool("write_file");
        Tool edit = awaitTool("edit_file");
        Tool list = awaitTool("list_dir");
        Tool grep = awaitTool("grep");
        assertTrue(read.invoke(new ToolRequest("it", "{\"path\":\"notes.md\"}")).output().contains("TODO: one"));
        assertEquals(ToolError.Kind.PERMISSION_DENIED, kindOf(read, "{\"path\":\"link-out\"}"));
        for (String path : new String[] {"link-out", "dir-out/secret.txt", "../secret.txt", "/etc/passwd"}) {
            String input = "{\"path\":\"" + path + "\"}";
            ToolError.Kind kind = kindOf(read, input);
            assertTrue(path + ": " + kind, kind == ToolError.Kind.TOOL_FAILED || kind == ToolError.Kind.INVALID_INPUT
                    || kind == ToolError.Kind.PERMISSION_DENIED);
        }
        kindOf(write, "{\"path\":\"link-out\",\"content\":\"pwned\"}");
        kindOf(write, "{\"path\":\"dir-out/planted.txt\",\"content\":\"pwned\"}");
        kindOf(edit, "{\"path\":\"link-out\",\"old_string\":\"top\",\"new_string\":\"pwned\"}");
        assertEquals("top secret", Files.readString(outside));
        assertFalse(Files.exists(outside.resolveSibling("planted.txt")));

        String listing = list.invoke(new ToolRequest("it", "{\"depth\":3}")).output();
        assertTrue(listing, listing.contains("notes.md"));
        assertFalse("host root names leaked: " + listing, listing.contains("\"etc\"") || listing.contains("secret.txt"));
        String found = grep.invoke(new ToolRequest("it", "{\"pattern\":\"TODO|secret\"}")).output();
        assertTrue(found, found.contains("notes.md") && !found.contains("top secret"));
        assertNotNull(registry.tool("glob").orElse(null));
        assertHealthAnswers();
    }
}
