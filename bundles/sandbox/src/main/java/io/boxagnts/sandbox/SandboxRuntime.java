package io.boxagnts.sandbox;

import io.boxagnts.api.tool.ToolLimits;
import io.boxagnts.api.web.WebFetcher;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.graalvm.polyglot.Engine;

/**
 * What every WASM tool of the runtime shares: the engine (once built), the workspace (once opened: the runtime opens
 * it after start, decision 0041; null inside for a runtime without one), the threads calls run on
 * (as many as calls may run at once), the watchdog thread that ends calls at their time limit, the caps no call's
 * limits may exceed, the record of calls in flight that background work gives way to, and the web fetcher as it
 * is now (null when none is active) for tools that may import it.
 */
record SandboxRuntime(CompletableFuture<Engine> engine, CompletableFuture<WorkspaceRoot> workspace,
        ToolThreads calls, ScheduledExecutorService watchdog, ToolLimits caps, RealCalls realCalls,
        Supplier<WebFetcher> web) {

    /** A runtime whose workspace is open already (or null: none). */
    SandboxRuntime(CompletableFuture<Engine> engine, WorkspaceRoot workspace, ToolThreads calls,
            ScheduledExecutorService watchdog, ToolLimits caps) {
        this(engine, workspace, calls, watchdog, caps, new RealCalls());
    }

    SandboxRuntime(CompletableFuture<Engine> engine, WorkspaceRoot workspace, ToolThreads calls,
            ScheduledExecutorService watchdog, ToolLimits caps, RealCalls realCalls) {
        this(engine, CompletableFuture.completedFuture(workspace), calls, watchdog, caps, realCalls, () -> null);
    }

    /** The limits a call runs under: those it was granted, cut to the caps. */
    ToolLimits capped(ToolLimits granted) {
        return new ToolLimits(granted.timeout().compareTo(caps.timeout()) > 0 ? caps.timeout() : granted.timeout(),
                Math.min(granted.maxMemoryBytes(), caps.maxMemoryBytes()),
                Math.min(granted.maxOutputBytes(), caps.maxOutputBytes()));
    }
}
