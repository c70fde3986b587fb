package io.boxagnts.sandbox;

import io.boxagnts.api.tool.ToolLimits;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.graalvm.polyglot.Engine;

/**
 * What every WASM tool of the runtime shares: the engine (once built), the open workspace, the threads calls run on
 * (as many as calls may run at once), the watchdog thread that ends calls at their time limit, the caps no call's
 * limits may exceed, and the record of calls in flight that background work gives way to.
 */
record SandboxRuntime(CompletableFuture<Engine> engine, WorkspaceRoot workspace, ToolThreads calls,
        ScheduledExecutorService watchdog, ToolLimits caps, RealCalls realCalls) {

    SandboxRuntime(CompletableFuture<Engine> engine, WorkspaceRoot workspace, ToolThreads calls,
            ScheduledExecutorService watchdog, ToolLimits caps) {
        this(engine, workspace, calls, watchdog, caps, new RealCalls());
    }

    /** The limits a call runs under: those it was granted, cut to the caps. */
    ToolLimits capped(ToolLimits granted) {
        return new ToolLimits(granted.timeout().compareTo(caps.timeout()) > 0 ? caps.timeout() : granted.timeout(),
                Math.min(granted.maxMemoryBytes(), caps.maxMemoryBytes()),
                Math.min(granted.maxOutputBytes(), caps.maxOutputBytes()));
    }
}
