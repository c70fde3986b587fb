package io.boxagnts.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.boxagnts.api.tool.ToolError;
import io.boxagnts.api.tool.ToolException;
import io.boxagnts.api.tool.ToolGrant;
import io.boxagnts.api.tool.ToolLimits;
import io.boxagnts.api.tool.ToolPermissions;
import io.boxagnts.api.tool.ToolRequest;
import io.boxagnts.api.tool.ToolSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.graalvm.polyglot.Engine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real GraalWasm (interpreted in unit tests), real modules: each hostile one ends with its typed error. */
class WasmToolTest {

    /** The sandbox's caps in these tests: 30 s, 512 MiB, 256 KiB. */
    static final ToolLimits CAPS = new ToolLimits(Duration.ofSeconds(30), 512 << 20, 256 << 10);

    private static Engine engine;
    private static ScheduledExecutorService watchdog;
    private static WorkspaceRoot root;

    @TempDir
    static Path workspace;

    @BeforeAll
    static void startEngine() throws IOException {
        root = WorkspaceRoot.open(workspace, false);
        engine = Engine.newBuilder("wasm").option("engine.WarnInterpreterOnly", "false").build();
        watchdog = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stopEngine() {
        watchdog.shutdownNow();
        engine.close();
        root.close();
    }

    static byte[] module(String name) throws IOException {
        return Files.readAllBytes(Path.of("target/wasm", name + ".wasm"));
    }

    private static WasmTool tool(String module, ToolLimits limits) throws IOException {
        return tool(module, limits, new ToolThreads(4));
    }

    private static WasmTool tool(String module, ToolLimits limits, ToolThreads calls) throws IOException {
        SandboxRuntime runtime = new SandboxRuntime(CompletableFuture.completedFuture(engine),
                root, calls, watchdog, CAPS);
        return new WasmTool(new ToolSpec(module, "", null, ToolPermissions.READ, limits, "1"), module(module), runtime);
    }

    private static WasmTool tool(String module) throws IOException {
        return tool(module, new ToolLimits(Duration.ofSeconds(10), 64 << 20, 64 << 10));
    }

    private static ToolError.Kind failure(WasmTool tool, String input) {
        return assertThrows(ToolException.class, () -> tool.invoke(new ToolRequest("t", input))).error().kind();
    }

    @Test
    void aWellBehavedToolAnswersWithItsJson() throws Exception {
        assertEquals("{\"ping\":[1,2,3]}", tool("echo").invoke(new ToolRequest("t", "{\"ping\":[1,2,3]}")).output());
    }

    /** The sandbox opens the workspace after start (decision 0041): a call that comes first waits for it. */
    @Test
    void aCallWaitsForTheWorkspaceStillBeingOpened() throws Exception {
        CompletableFuture<WorkspaceRoot> opening = new CompletableFuture<>();
        WasmTool echo = opening("echo", opening);
        CompletableFuture<String> output = new CompletableFuture<>();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                output.complete(echo.invoke(new ToolRequest("t", "{\"a\":1}")).output());
            } catch (ToolException e) {
                output.completeExceptionally(e);
            }
        });
        while (caller.getState() != Thread.State.WAITING && caller.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
        assertFalse(output.isDone(), "no call runs before the workspace is open");
        opening.complete(root);
        assertEquals("{\"a\":1}", output.get());
    }

    /** Without race-free resolution beneath the workspace no tool runs, and each call says why (decision 0011). */
    @Test
    void aWorkspaceThatCouldNotBeOpenedFailsEveryCallWithTheReason() throws Exception {
        String reason = "the sandbox needs Linux (x86_64 or aarch64) with the Foreign Function API enabled";
        WasmTool echo = opening("echo", CompletableFuture.failedFuture(new IOException(reason)));
        ToolException e = assertThrows(ToolException.class, () -> echo.invoke(new ToolRequest("t", "{}")));
        assertEquals(ToolError.Kind.UNAVAILABLE, e.error().kind());
        assertTrue(e.getMessage().contains("cannot confine tools to the workspace") && e.getMessage().contains(reason),
                e.getMessage());
    }

    private static WasmTool opening(String module, CompletableFuture<WorkspaceRoot> workspace) throws IOException {
        SandboxRuntime runtime = new SandboxRuntime(CompletableFuture.completedFuture(engine), workspace,
                new ToolThreads(4), watchdog, CAPS, new RealCalls(), () -> null);
        return new WasmTool(new ToolSpec(module, "", null, ToolPermissions.READ,
                new ToolLimits(Duration.ofSeconds(10), 64 << 20, 64 << 10), "1"), module(module), runtime);
    }

    @Test
    void callsDoNotShareState() throws Exception {
        WasmTool echo = tool("echo");
        assertEquals("{\"a\":1}", echo.invoke(new ToolRequest("1", "{\"a\":1}")).output());
        assertEquals("{\"b\":2}", echo.invoke(new ToolRequest("2", "{\"b\":2}")).output());
    }

    @Test
    void anInfiniteLoopIsStoppedAtTheTimeLimit() throws Exception {
        assertEquals(ToolError.Kind.TIMEOUT, failure(tool("loop", new ToolLimits(Duration.ofMillis(300), 1 << 20, 1024)), "{}"));
    }

    @Test
    void interruptingTheCallerStopsTheModule() throws Exception {
        WasmTool loop = tool("loop", new ToolLimits(Duration.ofSeconds(60), 1 << 20, 1024));
        ToolError.Kind[] kind = new ToolError.Kind[1];
        Thread caller = Thread.ofPlatform().start(() -> kind[0] = failure(loop, "{}"));
        Thread.sleep(300);
        caller.interrupt();
        caller.join(30_000); // far below the tool's 60 s limit: only the interrupt can have ended it
        assertEquals(ToolError.Kind.UNAVAILABLE, kind[0]);
    }

    @Test
    void anOutputFloodIsCutAtTheOutputLimit() throws Exception {
        assertEquals(ToolError.Kind.OUTPUT_TOO_LARGE, failure(tool("flood"), "{}"));
    }

    @Test
    void endlessRecursionExhaustsTheStackNotTheRuntime() throws Exception {
        ToolError.Kind kind = failure(tool("recursion"), "{}");
        assertTrue(kind == ToolError.Kind.MEMORY_LIMIT || kind == ToolError.Kind.MODULE_TRAP, kind.toString());
    }

    @Test
    void aMemoryBombStopsAtItsDeclaredMaximum() throws Exception {
        assertEquals(ToolError.Kind.MEMORY_LIMIT, failure(tool("membomb"), "{}"));
    }

    @Test
    void aGrantBelowTheDeclaredLimitsIsEnforced() throws Exception {
        WasmTool membomb = tool("membomb");
        ToolLimits declared = membomb.spec().limits();
        ToolException memory = assertThrows(ToolException.class, () -> membomb.invoke(new ToolRequest("t", "{}",
                null, new ToolGrant(ToolPermissions.READ, new ToolLimits(declared.timeout(), 10 << 20,
                        declared.maxOutputBytes())))));
        assertEquals(ToolError.Kind.MEMORY_LIMIT, memory.error().kind(), memory.getMessage());
        assertTrue(memory.getMessage().contains("(10 MiB)"), memory.getMessage()); // it declares 16

        WasmTool echo = tool("echo");
        ToolException output = assertThrows(ToolException.class, () -> echo.invoke(new ToolRequest("t",
                "{\"text\":\"" + "e".repeat(300) + "\"}", null, new ToolGrant(ToolPermissions.READ,
                        new ToolLimits(Duration.ofSeconds(10), 64 << 20, 100)))));
        assertEquals(ToolError.Kind.OUTPUT_TOO_LARGE, output.error().kind());
        assertTrue(output.getMessage().contains("limit of 100 bytes"), output.getMessage());

        ToolException time = assertThrows(ToolException.class, () -> tool("loop").invoke(new ToolRequest("t", "{}",
                null, new ToolGrant(ToolPermissions.READ, new ToolLimits(Duration.ofMillis(150), 64 << 20, 1024)))));
        assertEquals(ToolError.Kind.TIMEOUT, time.error().kind());
        assertTrue(time.getMessage().contains("limit of 150 ms"), time.getMessage());
    }

    @Test
    void aGrantAboveTheCapsIsCutToThem() throws Exception {
        ToolException output = assertThrows(ToolException.class, () -> tool("flood").invoke(new ToolRequest("t",
                "{}", null, new ToolGrant(ToolPermissions.READ, new ToolLimits(Duration.ofSeconds(10), 64 << 20,
                        CAPS.maxOutputBytes() * 4)))));
        assertTrue(output.getMessage().contains("limit of " + CAPS.maxOutputBytes() + " bytes"), output.getMessage());
    }

    @Test
    void outputThatIsNotJsonIsABadOutput() throws Exception {
        assertEquals(ToolError.Kind.BAD_OUTPUT, failure(tool("notjson"), "{}"));
    }

    @Test
    void malformedOrHugeInputNeverReachesTheModule() throws Exception {
        WasmTool echo = tool("echo");
        assertEquals(ToolError.Kind.INVALID_INPUT, failure(echo, "{not json"));
        assertEquals(ToolError.Kind.INVALID_INPUT, failure(echo, "[1,2]"));
        assertEquals(ToolError.Kind.INVALID_INPUT, failure(echo, "{\"x\":\"" + "a".repeat(WasmTool.MAX_INPUT_BYTES) + "\"}"));
    }

    @Test
    void aModuleSeesOnlyItsGrantInItsEnvironment() throws Exception {
        // environ.wat exits with the number of variables it sees: one, BOXAGNTS_WORKSPACE (decision 0027)
        ToolException e = assertThrows(ToolException.class, () -> tool("environ").invoke(new ToolRequest("t", "{}")));
        assertEquals(ToolError.Kind.TOOL_FAILED, e.error().kind());
        assertTrue(e.getMessage().contains("exited with code 1"), e.getMessage());
    }

    @Test
    void callsBeyondTheConcurrencyCapAreTurnedAway() throws Exception {
        ToolThreads one = new ToolThreads(1);
        WasmTool loop = tool("loop", new ToolLimits(Duration.ofSeconds(2), 1 << 20, 1024), one);
        WasmTool echo = tool("echo", new ToolLimits(Duration.ofMillis(200), 1 << 20, 1024), one);
        Thread busy = Thread.ofPlatform().start(() -> failure(loop, "{}"));
        while (one.available() > 0) {
            Thread.onSpinWait();
        }
        assertEquals(ToolError.Kind.TOO_MANY_CALLS, failure(echo, "{}"));
        busy.join();
        assertEquals("{}", echo.invoke(new ToolRequest("t", "{}")).output());
    }

    @Test
    void aCallHoldsItsModulesMemoryMaximumOfTheBudgetUntilItsTimeLimitEndsIt() throws Exception {
        MemoryBudget budget = new MemoryBudget(1 << 20, "test");
        ToolThreads calls = new ToolThreads(4, budget);
        // loop.wat declares one page at most: a limit of 1 MiB takes 64 KiB of the budget, not 1 MiB
        WasmTool loop = tool("loop", new ToolLimits(Duration.ofSeconds(1), 1 << 20, 1024), calls);
        ToolError.Kind[] kind = new ToolError.Kind[1];
        Thread caller = Thread.ofPlatform().start(() -> kind[0] = failure(loop, "{}"));
        while (budget.available() == 1 << 20 && caller.isAlive()) {
            Thread.onSpinWait();
        }
        assertEquals((1 << 20) - MemoryBudget.PAGE, budget.available());
        caller.join();
        assertEquals(ToolError.Kind.TIMEOUT, kind[0]);
        assertEquals(1 << 20, budget.available(), "given back when the time limit ended the call");
        calls.close();
    }

    @Test
    void thousandsOfOpenFilesAreCapped() throws Exception {
        Files.writeString(workspace.resolve("a.txt"), "x");
        ToolException e = assertThrows(ToolException.class, () -> tool("openmany").invoke(new ToolRequest("t", "{}")));
        assertEquals(ToolError.Kind.TOOL_FAILED, e.error().kind());
        assertTrue(e.getMessage().contains("exited with code 7"), e.getMessage());
    }
}
