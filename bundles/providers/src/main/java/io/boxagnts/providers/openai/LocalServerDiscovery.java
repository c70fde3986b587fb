package io.boxagnts.providers.openai;

import io.boxagnts.api.model.ModelDiscovery;
import io.boxagnts.api.model.ModelException;
import io.boxagnts.api.model.ModelInfo;
import io.boxagnts.api.model.ModelProvider;
import io.boxagnts.api.model.ModelServer;
import io.boxagnts.api.runtime.RuntimeProperties;
import io.boxagnts.providers.config.ProvidersFile;
import io.boxagnts.providers.config.ProvidersPolicy;
import io.boxagnts.providers.http.ModelHttp;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes the default ports of the local model servers users run and registers a provider for each one that answers.
 * Servers come and go (people start and stop them), so the probe runs on a virtual thread after activation (start-up
 * does not wait for it), again in the background (every few seconds, backing off to a minute while nothing changes;
 * loopback servers only, where a probe of a port nobody listens on costs microseconds), and on demand. A server seen
 * once stays registered while it is down, marked unreachable, and is usable again as soon as it answers.
 */
@Component(service = ModelDiscovery.class, immediate = true, configurationPid = ProvidersFile.POLICY_PID)
public final class LocalServerDiscovery implements ModelDiscovery {

    /** A server users run, where it listens by default, how to start it, and which kind of server it is. */
    record Preset(String id, URI baseUrl, String howToStart, ModelLimits.Kind kind) {
        Preset(String id, URI baseUrl, String howToStart) {
            this(id, baseUrl, howToStart, ModelLimits.Kind.of(id));
        }
    }

    /**
     * llama.cpp has announced that llama-server's default port moves from 8080 to 9931 (llama.cpp PR 26508; the
     * server prints the notice when it listens on 8080): both are probed.
     */
    static final List<Preset> PRESETS = List.of(
            new Preset("ollama", URI.create("http://127.0.0.1:11434/v1/"), "start Ollama ('ollama serve') and pull a model ('ollama pull qwen2.5-coder')"),
            new Preset("llamacpp", URI.create("http://127.0.0.1:8080/v1/"), "start llama.cpp's server ('llama-server -m model.gguf --jinja')"),
            new Preset("llamacpp-9931", URI.create("http://127.0.0.1:9931/v1/"), "start llama.cpp's server ('llama-server -m model.gguf --jinja'; its new default port)", ModelLimits.Kind.LLAMACPP),
            new Preset("lmstudio", URI.create("http://127.0.0.1:1234/v1/"), "start LM Studio's local server"),
            new Preset("vllm", URI.create("http://127.0.0.1:8000/v1/"), "start vLLM ('vllm serve <model>')"));

    /** The background probe's pace: quick after a change, slower while nothing changes. */
    record Pace(Duration first, Duration max) {
        static final Pace DEFAULT = new Pace(Duration.ofSeconds(5), Duration.ofSeconds(60));
    }

    private static final Logger LOG = LoggerFactory.getLogger(LocalServerDiscovery.class);

    private final BundleContext context;
    private final List<Preset> presets;
    private final Pace pace;
    /** Short timeouts, no retries: one per preset, kept so that what the server says about its models stays cached. */
    private final Map<String, OpenAiCompatibleProvider> probes = new ConcurrentHashMap<>();
    private final Map<String, ServiceRegistration<ModelProvider>> registered = new ConcurrentHashMap<>();
    private volatile Map<String, ModelServer> servers = Map.of();
    private volatile boolean stopped;
    private volatile Duration interval;
    private Thread background;

    /**
     * With discovery off ({@link ProvidersPolicy#discovery()}), only the server named with --model-url, which whoever
     * started the runtime configured, is looked at; no default port is probed.
     */
    @Activate
    public LocalServerDiscovery(BundleContext context, ProvidersPolicy policy) {
        this(context, presets(context.getProperty(RuntimeProperties.MODEL_URL), policy.discovery()), Pace.DEFAULT);
        if (!policy.discovery()) {
            LOG.info("Discovery of local model servers is off (configuration {}: discovery=false): only the providers "
                    + "the administrator configured are used", ProvidersFile.POLICY_PID);
        }
        if (!presets.isEmpty()) {
            start();
        }
    }

    LocalServerDiscovery(BundleContext context, List<Preset> presets, Pace pace) {
        this.context = context;
        this.presets = presets;
        this.pace = pace;
        this.interval = pace.first();
    }

    /** Probes once now and then in the background until deactivated. */
    void start() {
        background = Thread.ofVirtual().name("boxagnts-model-discovery").start(() -> {
            rediscover();
            while (!stopped) {
                LockSupport.parkNanos(interval.toNanos());
                if (stopped) {
                    return;
                }
                boolean changed = probeAll(true);
                interval = changed ? pace.first() : min(interval.multipliedBy(2), pace.max());
            }
        });
    }

    /**
     * The default ports (when discovering), after the server the user named on the command line (it comes first: it
     * is the default).
     */
    private static List<Preset> presets(String modelUrl, boolean discover) {
        List<Preset> presets = new ArrayList<>();
        if (modelUrl != null && !modelUrl.isBlank()) {
            presets.add(new Preset("configured", URI.create(modelUrl.endsWith("/") ? modelUrl : modelUrl + "/"),
                    "start the server at " + modelUrl + " (given with --model-url)"));
        }
        if (discover) {
            presets.addAll(PRESETS);
        }
        return List.copyOf(presets);
    }

    @Override
    public List<ModelServer> servers() {
        return List.copyOf(servers.values());
    }

    @Override
    public synchronized List<ModelServer> rediscover() {
        probeAll(false);
        interval = pace.first(); // someone is waiting for a server: look often for a while
        List<ModelServer> found = servers();
        if (found.stream().noneMatch(ModelServer::reachable) && presets.stream().anyMatch(PRESETS::contains)) {
            LOG.info("No local model server answers on the default ports (Ollama 11434, llama.cpp 8080 or 9931, "
                    + "LM Studio 1234, vLLM 8000); start one, or configure a provider");
        }
        return found;
    }

    /** Probes every preset (in the background only those on loopback); answers whether anything changed. */
    private synchronized boolean probeAll(boolean background) {
        Map<String, ModelServer> before = servers;
        Map<String, ModelServer> found = new LinkedHashMap<>();
        for (Preset preset : presets) {
            if (background && !loopback(preset.baseUrl())) {
                Optional.ofNullable(before.get(preset.id())).ifPresent(s -> found.put(preset.id(), s));
                continue;
            }
            ModelServer server = probe(preset, probes.computeIfAbsent(preset.id(), id -> prober(preset)));
            found.put(preset.id(), server);
            if (server.reachable() && !stopped) {
                registered.computeIfAbsent(preset.id(), id -> register(preset));
            }
            // a server seen before stays registered while it is down: it comes back by itself, and a turn against it
            // fails fast with "nothing answers" instead of "no such provider"
        }
        servers = Collections.unmodifiableMap(found);
        boolean changed = false;
        for (Map.Entry<String, ModelServer> entry : found.entrySet()) {
            ModelServer previous = before.get(entry.getKey());
            ModelServer now = entry.getValue();
            if (previous == null ? now.reachable() : previous.reachable() != now.reachable()
                    || !previous.models().equals(now.models())) {
                changed = true;
                LOG.info("{} at {}: {}", now.providerId(), now.baseUrl(), now.reachable()
                        ? "running, models " + now.models() : "not reachable");
            }
        }
        if (changed || before.isEmpty()) {
            LOG.info("Local model servers: {}", found.values().stream().filter(ModelServer::reachable)
                    .map(s -> s.providerId() + " " + s.models()).toList());
        }
        return changed;
    }

    private static boolean loopback(URI url) {
        try {
            return url.getHost() != null && InetAddress.getByName(url.getHost()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static OpenAiCompatibleProvider prober(Preset preset) {
        return new OpenAiCompatibleProvider(preset.id(), preset.baseUrl(), Optional.empty(),
                new OpenAiCompatibleProvider.Options(new ModelHttp.Timing(Duration.ofMillis(500), Duration.ofSeconds(3),
                        0, Duration.ZERO), preset.kind(), 0));
    }

    static ModelServer probe(Preset preset) {
        return probe(preset, prober(preset));
    }

    /** Asks the server for its models, quickly and once: a server that is not running must not slow anything. */
    static ModelServer probe(Preset preset, OpenAiCompatibleProvider probe) {
        try {
            List<ModelInfo> models = probe.models();
            return new ModelServer(preset.id(), preset.baseUrl().toString(), true,
                    models.stream().map(ModelInfo::id).toList(),
                    models.isEmpty() ? "it answers but offers no model; " + preset.howToStart() : "", models);
        } catch (ModelException e) {
            return new ModelServer(preset.id(), preset.baseUrl().toString(), false, List.of(),
                    e.getMessage() + "; to use it, " + preset.howToStart());
        }
    }

    /** The provider for chats: the usual timeouts and retries, not the probe's. */
    private ServiceRegistration<ModelProvider> register(Preset preset) {
        OpenAiCompatibleProvider provider = new OpenAiCompatibleProvider(preset.id(), preset.baseUrl(),
                Optional.empty(), new OpenAiCompatibleProvider.Options(new ModelHttp.Timing(Duration.ofSeconds(5),
                        Duration.ofMinutes(5), 3, Duration.ofSeconds(30)), preset.kind(), 0));
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("boxagnts.provider.id", preset.id());
        properties.put("boxagnts.provider.discovered", Boolean.TRUE);
        return context.registerService(ModelProvider.class, provider, properties);
    }

    @Deactivate
    synchronized void deactivate() {
        stopped = true;
        if (background != null) {
            LockSupport.unpark(background);
        }
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
