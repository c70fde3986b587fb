package io.boxagnts.providers.openai;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxagnts.api.model.ChatListener;
import io.boxagnts.api.model.ChatRequest;
import io.boxagnts.api.model.ChatResponse;
import io.boxagnts.api.model.ModelException;
import io.boxagnts.api.model.ModelInfo;
import io.boxagnts.api.model.ModelProvider;
import io.boxagnts.providers.http.ModelHttp;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One OpenAI-compatible endpoint. */
@Component(service = ModelProvider.class, configurationPid = "io.boxagnts.providers.openai",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = OpenAiCompatibleProvider.Config.class, factory = true)
public final class OpenAiCompatibleProvider implements ModelProvider {

    @ObjectClassDefinition(name = "BoxAgnts OpenAI-compatible model provider")
    public @interface Config {
        @AttributeDefinition(description = "Provider id, unique: ollama, llamacpp, lmstudio, vllm, openai...")
        String id();

        @AttributeDefinition(description = "Base URL including /v1, e.g. http://127.0.0.1:11434/v1")
        String baseUrl();

        @AttributeDefinition(type = AttributeType.PASSWORD, description = "API key; empty for local servers")
        String apiKey() default "";

        @AttributeDefinition(description = "Environment variable holding the API key, used when apiKey is empty")
        String apiKeyEnv() default "";

        @AttributeDefinition(description = "Connection timeout in milliseconds")
        long connectTimeoutMs() default 5_000;

        @AttributeDefinition(description = "Longest silence while waiting for the answer to start, in milliseconds")
        long responseTimeoutMs() default 300_000;

        @AttributeDefinition(description = "Retries after 429 and 5xx answers")
        int maxRetries() default 3;

        @AttributeDefinition(description = "Longest wait before a retry, in milliseconds (caps Retry-After)")
        long maxRetryDelayMs() default 30_000;

        @AttributeDefinition(description = "Longest silence of a stream once the answer has started, in milliseconds")
        long idleTimeoutMs() default 20_000;

        @AttributeDefinition(description = "The model's context window in tokens, when the server does not say it "
                + "(or says it wrong); 0: ask the server")
        int contextTokens() default 0;

        @AttributeDefinition(description = "The kind of server, to ask it for the model's limits its own way: "
                + "llamacpp, ollama, lmstudio, vllm; empty: guessed from its model list")
        String server() default "";
    }

    /** Everything but the endpoint and the key. */
    record Options(ModelHttp.Timing timing, ModelLimits.Kind kind, int contextTokens) {}

    private final String id;
    private final ModelHttp http;
    private final ModelLimits limits;

    @Activate
    public OpenAiCompatibleProvider(Config config) {
        this(config.id(), URI.create(config.baseUrl().endsWith("/") ? config.baseUrl() : config.baseUrl() + "/"),
                key(config), new Options(new ModelHttp.Timing(Duration.ofMillis(config.connectTimeoutMs()),
                        Duration.ofMillis(config.responseTimeoutMs()), config.maxRetries(),
                        Duration.ofMillis(config.maxRetryDelayMs()), Duration.ofMillis(config.idleTimeoutMs())),
                        ModelLimits.Kind.of(config.server().isBlank() ? config.id() : config.server()),
                        Math.max(0, config.contextTokens())));
    }

    OpenAiCompatibleProvider(String id, URI baseUrl, Optional<String> apiKey, Duration connectTimeout,
            Duration responseTimeout, int maxRetries, Duration maxRetryDelay) {
        this(id, baseUrl, apiKey, new Options(new ModelHttp.Timing(connectTimeout, responseTimeout, maxRetries,
                maxRetryDelay, ModelHttp.Timing.DEFAULT_IDLE), ModelLimits.Kind.of(id), 0));
    }

    OpenAiCompatibleProvider(String id, URI baseUrl, Optional<String> apiKey, Options options) {
        this.id = id;
        this.http = new ModelHttp(id, baseUrl, apiKey.map(key -> Map.of("Authorization", "Bearer " + key)).orElse(Map.of()),
                options.timing());
        this.limits = new ModelLimits(id, http, options.kind(), options.contextTokens(), Clock.systemUTC());
    }

    private static Optional<String> key(Config config) {
        if (!config.apiKey().isBlank()) {
            return Optional.of(config.apiKey());
        }
        if (!config.apiKeyEnv().isBlank()) {
            return Optional.ofNullable(System.getenv(config.apiKeyEnv())).filter(k -> !k.isBlank());
        }
        return Optional.empty();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<ModelInfo> models() throws ModelException {
        String text;
        try {
            text = http.readAll(http.send(http.request("models").GET().build()).body());
        } catch (ModelException e) {
            limits.forget();
            throw e;
        }
        JsonObject body;
        try {
            body = JsonParser.parseString(text).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new ModelException(ModelException.Kind.MALFORMED_RESPONSE, id + ": the model server's answer is not "
                    + "a JSON object: " + ModelHttp.abbreviate(text));
        }
        List<ModelInfo> models = new ArrayList<>();
        if (body.has("data") && body.get("data").isJsonArray()) {
            for (JsonElement model : body.getAsJsonArray("data")) {
                if (model.isJsonObject() && model.getAsJsonObject().has("id")) {
                    models.add(limits.of(model.getAsJsonObject()));
                }
            }
        }
        return List.copyOf(models);
    }

    @Override
    public ChatResponse chat(ChatRequest request, ChatListener listener) throws ModelException {
        String body = WireFormat.request(request).toString();
        HttpResponse<InputStream> response;
        try {
            response = http.send(http.request("chat/completions")
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        } catch (ModelException e) {
            if (e.kind() == ModelException.Kind.CONNECTION_REFUSED || e.kind() == ModelException.Kind.CONTEXT_LENGTH_EXCEEDED) {
                limits.forget(); // restarted, or with another context size: ask again
            }
            throw e;
        }
        StreamAssembler stream = new StreamAssembler(listener);
        try {
            http.stream(response.body(), stream::line);
            return stream.finish();
        } catch (ModelException e) {
            throw stream.withUsage(e);
        }
    }
}
