package io.boxagnts.sandbox;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.graalvm.polyglot.Engine;

/**
 * What every WASM tool of the runtime shares: the engine (once built), the open workspace, the threads calls run on
 * (as many as calls may run at once) and the watchdog thread that ends calls at their time limit.
 */
record SandboxRuntime(CompletableFuture<Engine> engine, WorkspaceRoot workspace, ToolThreads calls,
        ScheduledExecutorService watchdog) {}
