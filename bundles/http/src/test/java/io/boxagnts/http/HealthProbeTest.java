package io.boxagnts.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.boxagnts.api.sandbox.EngineInfo;
import io.boxagnts.api.sandbox.Sandbox;
import io.boxagnts.api.tool.ToolLimits;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.felix.framework.Felix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.launch.Framework;

/** Health on a real Felix framework, while it starts and after. */
class HealthProbeTest {

    private static final EngineInfo READY = new EngineInfo(EngineInfo.State.READY, "GraalVM CE", true, "");

    @TempDir
    Path storage;

    private Framework framework;

    @AfterEach
    void stop() throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
    }

    /** A sandbox whose engine is in that state. */
    private static Sandbox sandbox(EngineInfo engine) {
        return new Sandbox() {
            @Override
            public EngineInfo engine() {
                return engine;
            }

            @Override
            public ToolLimits caps() {
                return ToolLimits.DEFAULT;
            }
        };
    }

    @Test
    void whileTheFrameworkStartsAMissingSandboxIsStartingNotFailed() throws Exception {
        framework = framework();
        framework.init();
        HealthProbe probe = new HealthProbe(framework.getBundleContext(), Clock.systemUTC());

        Health starting = probe.check(null, null, null);
        assertEquals("starting", starting.status());
        assertEquals(EngineInfo.State.STARTING, starting.engine().state());
        assertEquals(List.of(), starting.warnings());

        assertEquals("starting", probe.check(sandbox(EngineInfo.STARTING), null, null).status());
        assertEquals("starting", probe.check(sandbox(READY), null, null).status(), "the framework has not started yet");
    }

    @Test
    void onceStartedTheEngineDecidesAndAMissingSandboxIsAFailure() throws Exception {
        framework = framework();
        framework.start();
        HealthProbe probe = new HealthProbe(framework.getBundleContext(), Clock.systemUTC());

        assertEquals("starting", probe.check(sandbox(EngineInfo.STARTING), null, null).status(), "engine being built");
        assertEquals("ok", probe.check(sandbox(READY), null, null).status());

        Health missing = probe.check(null, null, null);
        assertEquals("degraded", missing.status());
        assertEquals(EngineInfo.State.FAILED, missing.engine().state());
        assertTrue(missing.warnings().get(0).contains("the sandbox bundle is not running"), missing.warnings().toString());
    }

    private Framework framework() {
        return new Felix(Map.of("org.osgi.framework.storage", storage.toString(),
                "org.osgi.framework.storage.clean", "onFirstInit"));
    }
}
