package io.boxagnts.sandbox;

import io.boxagnts.api.tool.ToolException;
import io.boxagnts.api.tool.ToolLimits;
import io.boxagnts.api.tool.ToolPermissions;
import io.boxagnts.api.tool.ToolRequest;
import io.boxagnts.api.tool.ToolSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.graalvm.polyglot.Engine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A warm call of a trivial tool (echo: stdin to stdout) through the {@code Tool} interface of the sandbox, with the
 * isolation every call gets: a fresh context on the shared engine, the workspace filesystem (for "read"), limits.
 * Lives in the sandbox's package to build a {@link WasmTool} without an OSGi container; the code measured is the
 * code the runtime runs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xmx1g"})
public class ToolCallBenchmark {

    @Param({"none", "read"})
    public String workspace;

    private Engine engine;
    private ScheduledExecutorService watchdog;
    private WasmTool echo;
    private Path root;
    private WorkspaceRoot workspaceRoot;

    @Setup
    public void setUp() throws IOException {
        EngineHolder holder = new EngineHolder(null);
        holder.build();
        engine = holder.future().join();
        watchdog = Executors.newSingleThreadScheduledExecutor();
        root = Files.createTempDirectory("bench-ws").toRealPath();
        byte[] module = Files.readAllBytes(Path.of(System.getProperty("boxagnts.bench.wasm"), "echo.wasm"));
        workspaceRoot = WorkspaceRoot.open(root, false);
        SandboxRuntime runtime = new SandboxRuntime(CompletableFuture.completedFuture(engine), workspaceRoot,
                new ToolThreads(4), watchdog, ToolLimits.DEFAULT);
        ToolPermissions permissions = workspace.equals("read") ? ToolPermissions.READ : ToolPermissions.NONE;
        echo = new WasmTool(new ToolSpec("echo", "", null, permissions, ToolLimits.DEFAULT, "1"), module, runtime);
        if (!engine.getImplementationName().equals("GraalVM CE")) {
            throw new IllegalStateException("not the optimizing runtime: " + engine.getImplementationName());
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        watchdog.shutdownNow();
        engine.close(true);
        workspaceRoot.close();
        Files.deleteIfExists(root);
    }

    @Benchmark
    public String trivialToolCall() throws ToolException {
        return echo.invoke(new ToolRequest("bench", "{\"ping\":1}")).output();
    }
}
