package io.boxagnts.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.boxagnts.api.tool.ToolLimits;
import io.boxagnts.api.tool.ToolPermissions;
import io.boxagnts.api.tool.ToolRequest;
import io.boxagnts.api.tool.ToolSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.graalvm.polyglot.Engine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The background warm-up: runs every round on its scratch workspace, and gives way to real calls. */
class WarmUpTest {

    private static Engine engine;
    private static ScheduledExecutorService watchdog;
    private static WorkspaceRoot root;
    private static ToolThreads threads;

    @TempDir
    static Path workspace;

    @BeforeAll
    static void startEngine() throws IOException {
        root = WorkspaceRoot.open(workspace, false);
        engine = Engine.newBuilder("wasm").option("engine.WarnInterpreterOnly", "false").build();
        watchdog = Executors.newSingleThreadScheduledExecutor();
        threads = new ToolThreads(4);
    }

    @AfterAll
    static void stopEngine() {
        threads.close();
        watchdog.shutdownNow();
        engine.close();
        root.close();
    }

    private static WasmTool tool(String module, RealCalls realCalls, ToolPermissions permissions) throws IOException {
        return tool(module, module, realCalls, permissions);
    }

    /** The echo module under another name. */
    private static WasmTool named(String name, RealCalls realCalls, ToolPermissions permissions) throws IOException {
        return tool(name, "echo", realCalls, permissions);
    }

    private static WasmTool tool(String name, String module, RealCalls realCalls, ToolPermissions permissions)
            throws IOException {
        SandboxRuntime runtime = new SandboxRuntime(CompletableFuture.completedFuture(engine), root, threads,
                watchdog, WasmToolTest.CAPS, realCalls);
        return new WasmTool(new ToolSpec(name, "", null, permissions,
                new ToolLimits(Duration.ofSeconds(60), 1 << 20, 64 << 10), "1"),
                WasmToolTest.module(module), runtime);
    }

    private static WarmUp warmUp(RealCalls realCalls) {
        return warmUp(realCalls, null);
    }

    private static WarmUp warmUp(RealCalls realCalls, WarmUp.UserWorkspace userWorkspace) {
        return new WarmUp(CompletableFuture.completedFuture(engine), realCalls, workspace.resolve("scratch"),
                userWorkspace);
    }

    @Test
    void readOnlyToolsThatMayReadTheWorkspaceRunMoreRoundsOnIt() throws Exception {
        RealCalls realCalls = new RealCalls();
        Set<String> mayRead = Set.of("reader", "writer");
        try (WarmUp warmUp = warmUp(realCalls, new WarmUp.UserWorkspace(CompletableFuture.completedFuture(root), mayRead::contains,
                Duration.ofMinutes(5)))) {
            warmUp.add(named("reader", realCalls, ToolPermissions.READ), List.of("{\"a\":1}", "{\"b\":2}"));
            warmUp.awaitDone();
            assertEquals(2 * WarmUp.WORKSPACE_ROUNDS, warmUp.workspaceCalls());
            assertEquals(2 * (WarmUp.ROUNDS + WarmUp.WORKSPACE_ROUNDS), warmUp.completedCalls());
            // a write tool's inputs are made for the scratch tree and would change the workspace: never there
            warmUp.add(named("writer", realCalls, ToolPermissions.WRITE), List.of("{}"));
            // a policy took the workspace from this one (or disabled it)
            warmUp.add(named("denied", realCalls, ToolPermissions.READ), List.of("{}"));
            warmUp.awaitDone();
            assertEquals(2 * WarmUp.WORKSPACE_ROUNDS, warmUp.workspaceCalls());
            assertEquals(2 * (WarmUp.ROUNDS + WarmUp.WORKSPACE_ROUNDS) + 2 * WarmUp.ROUNDS,
                    warmUp.completedCalls());
        }
    }

    @Test
    void aToolAlreadyCalledForRealIsNotWarmedUpOnTheWorkspace() throws Exception {
        RealCalls realCalls = new RealCalls();
        try (WarmUp warmUp = warmUp(realCalls, new WarmUp.UserWorkspace(CompletableFuture.completedFuture(root), name -> true, Duration.ofMinutes(5)))) {
            WasmTool reader = named("reader", realCalls, ToolPermissions.READ);
            assertEquals("{\"a\":1}", reader.invoke(new ToolRequest("real", "{\"a\":1}")).output());
            warmUp.add(reader, List.of("{}"));
            warmUp.awaitDone();
            assertEquals(WarmUp.ROUNDS, warmUp.completedCalls(), "the scratch rounds only");
            assertEquals(0, warmUp.workspaceCalls());
        }
    }

    @Test
    void theWorkspaceRoundsStopWhenTheirBudgetIsSpent() throws Exception {
        RealCalls realCalls = new RealCalls();
        try (WarmUp warmUp = warmUp(realCalls, new WarmUp.UserWorkspace(CompletableFuture.completedFuture(root), name -> true, Duration.ofNanos(1)))) {
            warmUp.add(named("reader", realCalls, ToolPermissions.READ), List.of("{}", "{}", "{}"));
            warmUp.awaitDone();
            assertEquals(1, warmUp.workspaceCalls(), "the first call spends the budget, the rest do not run");
            assertEquals(3 * WarmUp.ROUNDS + 1, warmUp.completedCalls());
        }
    }

    @Test
    void everyRoundOfEveryInputRunsThenTheThreadEnds() throws Exception {
        RealCalls realCalls = new RealCalls();
        try (WarmUp warmUp = warmUp(realCalls)) {
            warmUp.add(tool("echo", realCalls, ToolPermissions.READ), List.of("{\"a\":1}", "{\"b\":2}"));
            warmUp.awaitDone();
            assertEquals(2 * WarmUp.ROUNDS, warmUp.completedCalls());
            assertEquals(0, warmUp.yieldedCalls());
            // a tool deployed later is warmed up too, by a new thread
            warmUp.add(tool("echo", realCalls, ToolPermissions.NONE), List.of("{}"));
            warmUp.awaitDone();
            assertEquals(3 * WarmUp.ROUNDS, warmUp.completedCalls());
            try (var left = Files.list(workspace.resolve("scratch"))) {
                assertEquals(0, left.count(), "every scratch tree is removed when its warm-up ends");
            }
        }
    }

    @Test
    void nothingRunsWhileARealCallIsInFlight() throws Exception {
        RealCalls realCalls = new RealCalls();
        try (WarmUp warmUp = warmUp(realCalls)) {
            realCalls.started();
            warmUp.add(tool("echo", realCalls, ToolPermissions.READ), List.of("{}"));
            Thread.sleep(3 * WarmUp.QUIET_MILLIS);
            assertEquals(0, warmUp.completedCalls(), "the warm-up waits for the real call");
            realCalls.ended();
            warmUp.awaitDone();
            assertEquals(WarmUp.ROUNDS, warmUp.completedCalls());
        }
    }

    @Test
    void aRealCallEndsTheWarmUpCallThatIsRunning() throws Exception {
        RealCalls realCalls = new RealCalls();
        WarmUp warmUp = warmUp(realCalls);
        warmUp.add(tool("loop", realCalls, ToolPermissions.NONE), List.of("{}"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!warmUp.calling() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(warmUp.calling(), "the warm-up runs the loop");
        realCalls.started();
        while (warmUp.yieldedCalls() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(1, warmUp.yieldedCalls(), "the warm-up call gave way");
        realCalls.ended();
        warmUp.close(); // ends the loop that started again
        warmUp.awaitDone();
        assertEquals(0, warmUp.completedCalls());
    }

    @Test
    void theScratchWorkspaceHasTheShapeWarmUpInputsRelyOn() throws Exception {
        Path dir = Files.createTempDirectory(workspace, "scratch");
        WarmUp.ScratchTree.write(dir);
        for (String name : List.of("README.md", "notes.txt", ".gitignore", "src/lib.rs", "src/mod_7/file_23.rs",
                "src/mod_7/part_7/part_1.rs", "target/out.rs")) {
            assertTrue(Files.isRegularFile(dir.resolve(name)), name);
        }
        assertTrue(Files.readString(dir.resolve("src/mod_1/file_2.rs")).contains("_new(size: usize)"));
    }

    @Test
    void descriptorsDeclareWarmUpInputsAsObjects() {
        ToolDescriptor.Caps caps = new ToolDescriptor.Caps(Duration.ofMinutes(1), 1 << 30, 1 << 20);
        String base = "{\"name\":\"t\",\"description\":\"d\",\"inputSchema\":{\"type\":\"object\"}";
        assertEquals(List.of(), ToolDescriptor.parse(base + "}", "1", caps).warmup());
        assertEquals(List.of("{\"q\":1}", "{}"),
                ToolDescriptor.parse(base + ",\"warmup\":[{\"q\":1},{}]}", "1", caps).warmup());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ToolDescriptor.parse(base + ",\"warmup\":[\"q\"]}", "1", caps)).getMessage()
                .contains("JSON objects"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ToolDescriptor.parse(base + ",\"warmup\":{}}", "1", caps)).getMessage()
                .contains("at most 8"));
    }
}
