package io.boxagnts.sandbox;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import org.graalvm.polyglot.Engine;

/**
 * What every WASM tool of the runtime shares: the engine (once built), the open workspace, the cap on concurrent
 * calls and the watchdog thread that ends calls at their time limit.
 */
record SandboxRuntime(CompletableFuture<Engine> engine, WorkspaceRoot workspace, Semaphore calls,
        ScheduledExecutorService watchdog) {}
