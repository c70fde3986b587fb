package io.boxagnts.agent;

import io.boxagnts.api.agent.AgentEvent;
import io.boxagnts.api.agent.AgentService;
import io.boxagnts.api.agent.ModelUnavailableException;
import io.boxagnts.api.agent.TurnRequest;
import io.boxagnts.api.model.ModelDiscovery;
import io.boxagnts.api.model.ModelException;
import io.boxagnts.api.model.ModelInfo;
import io.boxagnts.api.model.ModelProvider;
import io.boxagnts.api.model.ModelServer;
import io.boxagnts.api.runtime.RuntimeProperties;
import io.boxagnts.api.session.SessionStore;
import io.boxagnts.api.tool.ToolRegistry;
import io.boxagnts.api.tool.ToolSpec;
import io.boxagnts.api.web.WebFetcher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** The agent as a service: picks the provider and model, builds the system prompt, runs turns, routes approvals. */
@Component(service = AgentService.class, configurationPid = "io.boxagnts.agent")
@Designate(ocd = AgentComponent.Config.class)
public final class AgentComponent implements AgentService {

    @ObjectClassDefinition(name = "BoxAgnts agent")
    public @interface Config {
        @AttributeDefinition(description = "Model calls per turn at most")
        int maxSteps() default 25;

        @AttributeDefinition(description = "Seconds an approval request waits before it counts as denied")
        long approvalTimeoutSeconds() default 300;

        @AttributeDefinition(description = "Context window assumed when the server does not tell (cloud APIs do "
                + "not; local servers do), in tokens")
        int contextTokens() default 32_768;

        @AttributeDefinition(name = "Default provider", required = false, description = "The provider id a turn "
                + "uses when it names none (see GET /api/providers); empty: the first local server found, else the "
                + "first configured provider")
        String defaultProvider() default "";

        @AttributeDefinition(name = "Default model", required = false, description = "The model a turn uses when it "
                + "names none; empty: the provider's first")
        String defaultModel() default "";

        @AttributeDefinition(name = "Default mode", description = "How writes are treated when a turn does not say",
                options = {@Option(label = "ask before writes", value = "ask"),
                    @Option(label = "auto-edit", value = "auto-edit"), @Option(label = "plan (read-only)", value = "plan")})
        String defaultMode() default "ask";
    }

    private static final int MAX_AGENTS_MD = 32 << 10;

    private final ToolRegistry tools;
    private final SessionStore sessions;
    private volatile AgentLoop.Settings settings;
    private volatile Defaults defaults;
    private final Path workspace;
    private final List<ModelProvider> providers = new CopyOnWriteArrayList<>();
    private final List<ModelProvider> localProviders = new CopyOnWriteArrayList<>();
    private final Map<String, Thread> running = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<ApprovalGate.Answer>> approvals = new ConcurrentHashMap<>();
    /** What the token estimate learnt from each model's servers, by provider and model. */
    private final Map<String, TokenEstimate> estimates = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ModelDiscovery discovery;

    /** The web policy, asked at each turn whether a fetching tool can reach anything (none: it cannot). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile WebFetcher web;

    @Activate
    public AgentComponent(BundleContext context, @Reference ToolRegistry tools, @Reference SessionStore sessions,
            Config config) {
        this.tools = tools;
        this.sessions = sessions;
        modified(config);
        String dir = context.getProperty(RuntimeProperties.WORKSPACE);
        this.workspace = Path.of(dir == null ? "." : dir);
    }

    /** What a turn uses when it does not say. */
    private record Defaults(String provider, String model, String mode) {}

    /** A change of configuration applies to the next turn; running turns keep theirs (no restart of the agent). */
    @Modified
    void modified(Config config) {
        mode(config.defaultMode()); // refuse a mode that does not exist before anything changes
        this.settings = new AgentLoop.Settings(config.maxSteps(), 3, Duration.ofSeconds(config.approvalTimeoutSeconds()),
                config.contextTokens());
        this.defaults = new Defaults(config.defaultProvider().trim(), config.defaultModel().trim(),
                config.defaultMode().trim());
    }

    /** Local servers found on this machine come first: they are the default, nothing leaves the machine. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addProvider(ModelProvider provider, Map<String, Object> properties) {
        if (Boolean.TRUE.equals(properties.get("boxagnts.provider.discovered"))) {
            localProviders.add(provider);
        }
        providers.add(provider);
    }

    void removeProvider(ModelProvider provider) {
        localProviders.remove(provider);
        providers.remove(provider);
    }

    @Override
    public AgentEvent.StopReason run(String sessionId, TurnRequest request, Consumer<AgentEvent> sink)
            throws IOException {
        Defaults current = defaults;
        Permissions permissions = new Permissions(mode(request.mode().isEmpty() ? current.mode() : request.mode()),
                Set.copyOf(request.allow()), Set.copyOf(request.deny()));
        boolean chosen = !request.providerId().isEmpty();
        ModelProvider provider = provider(chosen ? request.providerId() : current.provider());
        ModelInfo model = model(provider, !request.model().isEmpty() || chosen ? request.model() : current.model());
        if (running.putIfAbsent(sessionId, Thread.currentThread()) != null) {
            throw new IllegalStateException("session " + sessionId + " already has a turn running; cancel it first");
        }
        try {
            AgentLoop.Settings turnSettings = settings;
            AgentLoop.Context context = new AgentLoop.Context(model.contextWindow() > 0 ? model.contextWindow()
                    : turnSettings.contextTokens(), estimates.computeIfAbsent(provider.id() + "\u0000" + model.id(),
                            key -> new TokenEstimate()));
            AgentLoop loop = new AgentLoop(provider, model.id(), context, tools, sessions, turnSettings,
                    Clock.systemUTC(), workspace, spec -> usable(spec, web));
            return loop.turn(sessionId, systemPrompt(), request.text(), permissions, this::approve, event -> {
                // Waiting for the answer starts before the client hears of the request: an answer that comes back
                // at once (a fast client, a busy machine) must find it, not a 404.
                if (event instanceof AgentEvent.ApprovalRequested requested) {
                    approvals.putIfAbsent(key(requested.sessionId(), requested.callId()), new CompletableFuture<>());
                }
                sink.accept(event);
            });
        } finally {
            running.remove(sessionId);
        }
    }

    @Override
    public boolean answer(String sessionId, String callId, boolean approved, boolean forSession) {
        CompletableFuture<ApprovalGate.Answer> pending = approvals.get(key(sessionId, callId));
        return pending != null && pending.complete(ApprovalGate.Answer.of(approved, forSession));
    }

    @Override
    public boolean cancel(String sessionId) {
        Thread thread = running.get(sessionId);
        if (thread == null) {
            return false;
        }
        thread.interrupt();
        return true;
    }

    private ApprovalGate.Answer approve(AgentEvent.ApprovalRequested request, Duration timeout)
            throws InterruptedException {
        String key = key(request.sessionId(), request.callId());
        CompletableFuture<ApprovalGate.Answer> answer = approvals.computeIfAbsent(key, k -> new CompletableFuture<>());
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return ApprovalGate.Answer.DENIED; // nobody answered
        } finally {
            approvals.remove(key);
        }
    }

    /**
     * Whether a tool can do anything now: a tool that fetches web pages only while the web policy allows a host (off
     * by default, so web_fetch is not offered until an administrator lists hosts; the next turn offers it).
     */
    static boolean usable(ToolSpec spec, WebFetcher web) {
        return !spec.permissions().fetches() || (web != null && web.allowsAnyHost());
    }

    private static String key(String sessionId, String callId) {
        return sessionId + "\u0000" + callId;
    }

    private static Permissions.Mode mode(String mode) {
        return switch (mode) {
            case "ask", "" -> Permissions.Mode.ASK;
            case "auto-edit" -> Permissions.Mode.AUTO_EDIT;
            case "plan" -> Permissions.Mode.PLAN;
            default -> throw new IllegalArgumentException("mode must be ask, auto-edit or plan, not '" + mode + "'");
        };
    }

    /**
     * The provider the turn asks for, or the default: the first local server that answered discovery's last probe,
     * else any provider. When there is none, discovery looks again at once (a server may have been started since).
     */
    private ModelProvider provider(String id) {
        if (id.isEmpty()) {
            ModelProvider chosen = defaultProvider();
            ModelDiscovery current = discovery;
            if (chosen == null && current != null) {
                current.rediscover();
                chosen = defaultProvider();
            }
            if (chosen == null) {
                // Having looked again, discovery lists every server it looks for (answering or not): none means it
                // looks for none, and starting a local server would not help (decision 0032).
                throw new ModelUnavailableException(current != null && current.servers().isEmpty()
                        ? NO_MODEL_NOR_DISCOVERY : NO_MODEL, null);
            }
            return chosen;
        }
        List<ModelProvider> available = List.copyOf(providers);
        return available.stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no model provider '" + id + "'; available: "
                        + available.stream().map(ModelProvider::id).toList()));
    }

    static final String NO_MODEL = "no model provider is available: start a local model server (Ollama, llama.cpp, "
            + "LM Studio or vLLM on its default port; it is found by itself) or add a provider on the Models screen";
    static final String NO_MODEL_NOR_DISCOVERY = "no model provider is available, and this runtime looks for no local "
            + "model server (configuration io.boxagnts.providers: discovery=false): the administrator configures the "
            + "model servers";

    private ModelProvider defaultProvider() {
        ModelDiscovery current = discovery;
        List<ModelProvider> local = List.copyOf(localProviders);
        if (current != null) {
            for (ModelServer server : current.servers()) {
                if (server.reachable()) {
                    Optional<ModelProvider> match = local.stream().filter(p -> p.id().equals(server.providerId()))
                            .findFirst();
                    if (match.isPresent()) {
                        return match.get();
                    }
                }
            }
        }
        List<ModelProvider> configured = providers.stream().filter(p -> !local.contains(p)).toList();
        return !configured.isEmpty() ? configured.get(0) : local.isEmpty() ? null : local.get(0);
    }

    /**
     * The model with its limits; asking for them also proves the server answers, so that a turn against a server
     * that is down fails at once (503), before anything is logged.
     */
    private ModelInfo model(ModelProvider provider, String model) {
        try {
            if (!model.isEmpty()) {
                // a model the server does not list may still be served (aliases, gateways): its limits are unknown
                return provider.model(model).orElse(new ModelInfo(provider.id(), model, 0));
            }
            return provider.models().stream().findFirst().orElseThrow(() ->
                    new ModelUnavailableException(provider.id() + " offers no model; load or pull one first", null));
        } catch (ModelException e) {
            if (e.kind() == ModelException.Kind.CONNECTION_REFUSED || e.kind() == ModelException.Kind.TIMEOUT
                    || e.kind() == ModelException.Kind.SERVER_ERROR || e.kind() == ModelException.Kind.RATE_LIMITED) {
                ModelDiscovery current = discovery;
                if (current != null && e.kind() == ModelException.Kind.CONNECTION_REFUSED) {
                    current.rediscover(); // so that the providers list says at once that it is down
                }
                throw new ModelUnavailableException(e.getMessage(), e);
            }
            if (!model.isEmpty()) {
                return new ModelInfo(provider.id(), model, 0); // it may still serve the model it was asked for
            }
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Short on purpose: small local models read every token of it before the first word of an answer. */
    private String systemPrompt() {
        StringBuilder prompt = new StringBuilder("""
                You are BoxAgnts, a coding agent. You work on the user's workspace through the tools you are given; \
                paths are relative to the workspace root. Read before you edit, make the smallest change that does \
                the job, and say briefly what you did.""");
        Path agentsMd = workspace.resolve("AGENTS.md");
        try {
            if (Files.isRegularFile(agentsMd) && Files.size(agentsMd) <= MAX_AGENTS_MD) {
                prompt.append("\n\nThe project's AGENTS.md:\n").append(Files.readString(agentsMd, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // no project instructions then
        }
        return prompt.toString();
    }
}
