package io.boxagnts.providers.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.boxagnts.api.model.ModelProvider;
import io.boxagnts.api.model.ModelServer;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Discovery against a scripted llama-server that starts after it, stops and comes back, on one port: found by the
 * background probe, kept (unreachable) while down, usable again by itself.
 */
class ServersThatComeAndGoTest {

    /** The framework's side: what discovery registered, and what it took back. */
    private final List<ModelProvider> registered = new CopyOnWriteArrayList<>();
    private final List<ModelProvider> unregistered = new CopyOnWriteArrayList<>();

    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("registerService")) {
                        ModelProvider provider = (ModelProvider) args[1];
                        registered.add(provider);
                        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                                (p, m, a) -> {
                                    if (m.getName().equals("unregister")) {
                                        unregistered.add(provider);
                                    }
                                    return null;
                                });
                    }
                    return null;
                });
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    private static boolean reachable(LocalServerDiscovery discovery) {
        return discovery.servers().stream().anyMatch(ModelServer::reachable);
    }

    @Test
    void aServerStartedLaterIsFoundStaysKnownWhileDownAndComesBack() throws Exception {
        try (LocalServerDouble llama = LocalServerDouble.llamaCpp(4096)) {
            LocalServerDiscovery discovery = new LocalServerDiscovery(context(), List.of(new LocalServerDiscovery.Preset(
                    "llamacpp", llama.baseUrl(), "start llama-server")),
                    new LocalServerDiscovery.Pace(Duration.ofMillis(50), Duration.ofMillis(200)));
            try {
                discovery.start();
                await("the first probe ran", () -> !discovery.servers().isEmpty());
                assertFalse(reachable(discovery));
                assertTrue(registered.isEmpty(), "nothing to offer yet");

                llama.start(); // after BoxAgnts, as people do
                await("the background probe finds it", () -> reachable(discovery));
                assertEquals(1, registered.size());
                ModelServer found = discovery.servers().get(0);
                assertEquals(4096, found.limits().get(0).contextWindow(), "with its limits, for the Models screen");

                llama.stop();
                await("it is seen down", () -> !reachable(discovery));
                assertTrue(unregistered.isEmpty(), "a server seen once stays known while it is down");
                assertTrue(discovery.servers().get(0).detail().contains("start llama-server"));

                llama.start();
                await("it comes back by itself", () -> reachable(discovery));
                assertEquals(1, registered.size(), "the same provider serves again");
                assertEquals("qwen2.5-0.5b-instruct-q4_k_m.gguf", registered.get(0).models().get(0).id());
            } finally {
                discovery.deactivate();
            }
            assertEquals(registered, unregistered);
        }
    }

    @Test
    void aDiscoverWhileTheServerIsDownDoesNotDropIt() throws Exception {
        try (LocalServerDouble llama = LocalServerDouble.llamaCpp(4096).start()) {
            LocalServerDiscovery discovery = new LocalServerDiscovery(context(), List.of(new LocalServerDiscovery.Preset(
                    "llamacpp", llama.baseUrl(), "start llama-server")), LocalServerDiscovery.Pace.DEFAULT);
            try {
                assertTrue(discovery.rediscover().get(0).reachable());
                llama.stop();
                assertFalse(discovery.rediscover().get(0).reachable());
                assertTrue(unregistered.isEmpty());
                llama.start();
                assertTrue(discovery.rediscover().get(0).reachable());
                assertEquals(1, registered.size());
            } finally {
                discovery.deactivate();
            }
        }
    }
}
