package io.boxagnts.sandbox;

import io.boxagnts.api.sandbox.EngineInfo;
import io.boxagnts.api.sandbox.Sandbox;
import java.util.concurrent.atomic.AtomicBoolean;
import org.graalvm.polyglot.Engine;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the shared engine once the framework has started. Building it costs about half a second of CPU; doing it
 * after start-up keeps it off the path to the HTTP server answering, and {@link #engine()} says {@code STARTING}
 * meanwhile.
 */
@Component(service = Sandbox.class, immediate = true)
public final class GraalWasmSandbox implements Sandbox, FrameworkListener {

    private static final Logger LOG = LoggerFactory.getLogger(GraalWasmSandbox.class);

    private final BundleContext context;
    private final EngineHolder holder = new EngineHolder();
    private final AtomicBoolean startRequested = new AtomicBoolean();

    @Activate
    public GraalWasmSandbox(BundleContext context) {
        this.context = context;
        // Listen first, then look: the framework may finish starting in between.
        context.addFrameworkListener(this);
        if (context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).getState() == Bundle.ACTIVE) {
            startEngine();
        }
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.STARTED) {
            startEngine();
        }
    }

    private void startEngine() {
        if (startRequested.compareAndSet(false, true)) {
            context.removeFrameworkListener(this);
            Thread.ofPlatform().name("boxagnts-wasm-engine").daemon().start(holder::build);
        }
    }

    @Deactivate
    void deactivate() {
        context.removeFrameworkListener(this);
        holder.close();
    }

    @Override
    public EngineInfo engine() {
        return holder.info();
    }

    /** The engine and what is known about it; built at most once, closed at most once. */
    static final class EngineHolder {

        private static final String INTERPRETED = "Interpreted";

        private EngineInfo info = EngineInfo.STARTING;
        private Engine engine;
        private boolean closed;

        void build() {
            long started = System.nanoTime();
            Engine built;
            try {
                built = Engine.newBuilder("wasm")
                        // We report the interpreter fallback ourselves, with the fix, instead of the engine's banner.
                        .option("engine.WarnInterpreterOnly", "false")
                        .build();
            } catch (RuntimeException | LinkageError e) {
                LOG.error("The GraalWasm engine could not start; WASM tools will not run: {}", e.toString(), e);
                publish(null, new EngineInfo(EngineInfo.State.FAILED, "", false, e.toString()));
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
                        + "-XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI --upgrade-module-path=lib/jvmci/*";
                LOG.warn(why);
                ready = new EngineInfo(EngineInfo.State.READY, implementation, false, why);
            }
            publish(built, ready);
        }

        private void publish(Engine built, EngineInfo newInfo) {
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
            if (toClose != null) {
                toClose.close();
            }
        }
    }
}
