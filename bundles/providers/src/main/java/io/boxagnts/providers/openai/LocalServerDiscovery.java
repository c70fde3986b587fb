package io.boxagnts.providers.openai;

import io.boxagnts.api.model.ModelDiscovery;
import io.boxagnts.api.model.ModelException;
import io.boxagnts.api.model.ModelInfo;
import io.boxagnts.api.model.ModelProvider;
import io.boxagnts.api.model.ModelServer;
import io.boxagnts.api.runtime.RuntimeProperties;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes the default ports of the local model servers users run and registers a provider for each one that answers.
 * The probe runs once on a virtual thread after activation (start-up does not wait for it) and again on demand.
 */
@Component(service = ModelDiscovery.class, immediate = true)
public final class LocalServerDiscovery implements ModelDiscovery {

    /** A server users run, where it listens by default, and how to start it. */
    record Preset(String id, URI baseUrl, String howToStart) {}

    static final List<Preset> PRESETS = List.of(
            new Preset("ollama", URI.create("http://127.0.0.1:11434/v1/"), "start Ollama ('ollama serve') and pull a model ('ollama pull qwen2.5-coder')"),
            new Preset("llamacpp", URI.create("http://127.0.0.1:8080/v1/"), "start llama.cpp's server ('llama-server -m model.gguf --jinja')"),
            new Preset("lmstudio", URI.create("http://127.0.0.1:1234/v1/"), "start LM Studio's local server"),
            new Preset("vllm", URI.create("http://127.0.0.1:8000/v1/"), "start vLLM ('vllm serve <model>')"));

    private static final Logger LOG = LoggerFactory.getLogger(LocalServerDiscovery.class);

    private final BundleContext context;
    private final List<Preset> presets;
    private final Map<String, ServiceRegistration<ModelProvider>> registered = new ConcurrentHashMap<>();
    private volatile List<ModelServer> servers = List.of();

    @Activate
    public LocalServerDiscovery(BundleContext context) {
        this(context, presets(context.getProperty(RuntimeProperties.MODEL_URL)));
        Thread.ofVirtual().name("boxagnts-model-discovery").start(this::rediscover);
    }

    LocalServerDiscovery(BundleContext context, List<Preset> presets) {
        this.context = context;
        this.presets = presets;
    }

    /** The default ports, after the server the user named on the command line (it comes first: it is the default). */
    private static List<Preset> presets(String modelUrl) {
        if (modelUrl == null || modelUrl.isBlank()) {
            return PRESETS;
        }
        List<Preset> presets = new ArrayList<>();
        presets.add(new Preset("configured", URI.create(modelUrl.endsWith("/") ? modelUrl : modelUrl + "/"),
                "start the server at " + modelUrl + " (given with --model-url)"));
        presets.addAll(PRESETS);
        return List.copyOf(presets);
    }

    @Override
    public List<ModelServer> servers() {
        return servers;
    }

    @Override
    public synchronized List<ModelServer> rediscover() {
        List<ModelServer> found = new ArrayList<>();
        for (Preset preset : presets) {
            ModelServer server = probe(preset);
            found.add(server);
            if (server.reachable()) {
                registered.computeIfAbsent(preset.id(), id -> register(preset));
            } else {
                Optional.ofNullable(registered.remove(preset.id())).ifPresent(ServiceRegistration::unregister);
            }
        }
        servers = List.copyOf(found);
        long usable = found.stream().filter(ModelServer::reachable).count();
        if (usable == 0) {
            LOG.info("No local model server answers on the default ports (Ollama 11434, llama.cpp 8080, LM Studio "
                    + "1234, vLLM 8000); start one, or configure a provider");
        } else {
            LOG.info("Local model servers: {}", found.stream().filter(ModelServer::reachable)
                    .map(s -> s.providerId() + " " + s.models()).toList());
        }
        return servers;
    }

    /** Asks the server for its models, quickly and once: a server that is not running must not slow anything. */
    static ModelServer probe(Preset preset) {
        OpenAiCompatibleProvider probe = new OpenAiCompatibleProvider(preset.id(), preset.baseUrl(), Optional.empty(),
                Duration.ofMillis(500), Duration.ofSeconds(3), 0, Duration.ZERO);
        try {
            List<String> models = probe.models().stream().map(ModelInfo::id).toList();
            return new ModelServer(preset.id(), preset.baseUrl().toString(), true, models,
                    models.isEmpty() ? "it answers but offers no model; " + preset.howToStart() : "");
        } catch (ModelException e) {
            return new ModelServer(preset.id(), preset.baseUrl().toString(), false, List.of(),
                    e.getMessage() + "; to use it, " + preset.howToStart());
        }
    }

    /** The provider for chats: the usual timeouts and retries, not the probe's. */
    private ServiceRegistration<ModelProvider> register(Preset preset) {
        OpenAiCompatibleProvider provider = new OpenAiCompatibleProvider(preset.id(), preset.baseUrl(),
                Optional.empty(), Duration.ofSeconds(5), Duration.ofMinutes(5), 3, Duration.ofSeconds(30));
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("boxagnts.provider.id", preset.id());
        properties.put("boxagnts.provider.discovered", Boolean.TRUE);
        return context.registerService(ModelProvider.class, provider, properties);
    }

    @Deactivate
    synchronized void deactivate() {
        registered.values().forEach(registration -> {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // gone with the bundle already
            }
        });
        registered.clear();
    }
}
