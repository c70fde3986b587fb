package io.boxagnts.sandbox;

import io.boxagnts.api.sandbox.EngineInfo;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Handler;
import org.graalvm.polyglot.Engine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The shared engine and what is known about it; built at most once, closed at most once. */
final class EngineHolder {

    private static final Logger LOG = LoggerFactory.getLogger(EngineHolder.class);
    private static final String INTERPRETED = "Interpreted";

    private final CompletableFuture<Engine> future = new CompletableFuture<>();
    private final Handler log;
    private EngineInfo info = EngineInfo.STARTING;
    private Engine engine;
    private boolean closed;

    /** @param log where the engine's own log goes; null lets the engine write to stderr (benchmarks) */
    EngineHolder(Handler log) {
        this.log = log;
    }

    CompletableFuture<Engine> future() {
        return future;
    }

    void build() {
        long started = System.nanoTime();
        Engine built;
        try {
            Engine.Builder builder = Engine.newBuilder("wasm");
            if (log != null) {
                builder.logHandler(log);
            }
            built = builder
                    // We report the interpreter fallback ourselves, with the fix, instead of the engine's banner.
                    .option("engine.WarnInterpreterOnly", "false")
                    // Tool modules are large (a Rust grep has ~1,500 functions) and users run on a few cores:
                    // latency mode compiles faster, and measured faster too once warm (benchmarks/README.md).
                    .option("engine.Mode", "latency")
                    .build();
        } catch (RuntimeException | LinkageError e) {
            LOG.error("The GraalWasm engine could not start; WASM tools will not run: {}", e.toString(), e);
            publish(null, new EngineInfo(EngineInfo.State.FAILED, "", false, e.toString()));
            future.completeExceptionally(e);
            return;
        }
        String implementation = built.getImplementationName();
        boolean optimized = !INTERPRETED.equals(implementation);
        long millis = (System.nanoTime() - started) / 1_000_000;
        EngineInfo ready;
        if (optimized) {
            LOG.info("WASM engine: GraalWasm on {} (optimizing runtime), ready in {} ms", implementation, millis);
            ready = new EngineInfo(EngineInfo.State.READY, implementation, true, "");
        } else {
            String why = "GraalWasm runs in the interpreter (30-50x slower): the JVM was started without JVMCI "
                    + "and the Graal compiler. Start BoxAgnts with bin/boxagnts, which passes "
                    + "-XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI and the compiler jars of lib/jvmci/";
            LOG.warn(why);
            ready = new EngineInfo(EngineInfo.State.READY, implementation, false, why);
        }
        if (publish(built, ready)) {
            future.complete(built);
        }
    }

    /** @return false when the holder was closed meanwhile (the engine is then closed at once) */
    private boolean publish(Engine built, EngineInfo newInfo) {
        boolean closeNow;
        synchronized (this) {
            closeNow = closed;
            if (!closed) {
                engine = built;
                info = newInfo;
            }
        }
        if (closeNow && built != null) {
            built.close();
        }
        return !closeNow;
    }

    synchronized EngineInfo info() {
        return info;
    }

    void close() {
        Engine toClose;
        synchronized (this) {
            closed = true;
            toClose = engine;
            engine = null;
        }
        future.cancel(false);
        if (toClose != null) {
            toClose.close(true);
        }
    }
}
