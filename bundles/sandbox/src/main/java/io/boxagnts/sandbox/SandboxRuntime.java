package io.boxagnts.sandbox;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.graalvm.polyglot.Engine;

/**
 * What every WASM tool of the runtime shares: the engine (once built), the open workspace, the threads calls run on
 * (as many as calls may run at once), the watchdog thread that ends calls at their time limit, and the record of
 * calls in flight that background work gives way to.
 */
record SandboxRuntime(CompletableFuture<Engine> engine, WorkspaceRoot workspace, ToolThreads calls,
        ScheduledExecutorService watchdog, RealCalls realCalls) {

    SandboxRuntime(CompletableFuture<Engine> engine, WorkspaceRoot workspace, ToolThreads calls,
            ScheduledExecutorService watchdog) {
        this(engine, workspace, calls, watchdog, new RealCalls());
    }
}
