package io.boxagnts.providers.anthropic;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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

/** Anthropic's Messages API (or a compatible endpoint). */
@Component(service = ModelProvider.class, configurationPid = "io.boxagnts.providers.anthropic",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = AnthropicProvider.Config.class, factory = true)
public final class AnthropicProvider implements ModelProvider {

    static final String API_VERSION = "2023-06-01";

    @ObjectClassDefinition(name = "BoxAgnts Anthropic model provider")
    public @interface Config {
        @AttributeDefinition(description = "Provider id, unique")
        String id() default "anthropic";

        @AttributeDefinition(description = "Base URL including /v1")
        String baseUrl() default "https://api.anthropic.com/v1";

        @AttributeDefinition(type = AttributeType.PASSWORD, description = "API key")
        String apiKey() default "";

        @AttributeDefinition(description = "Environment variable holding the API key, used when apiKey is empty")
        String apiKeyEnv() default "ANTHROPIC_API_KEY";

        @AttributeDefinition(description = "Output tokens per answer when the request does not say")
        int maxTokens() default 4096;

        @AttributeDefinition(description = "Longest silence while waiting for the answer to start, in milliseconds")
        long responseTimeoutMs() default 300_000;

        @AttributeDefinition(description = "Retries after 429, 529 and 5xx answers")
        int maxRetries() default 3;
    }

    private final String id;
    private final int maxTokens;
    private final ModelHttp http;

    @Activate
    public AnthropicProvider(Config config) {
        this(config.id(), URI.create(config.baseUrl().endsWith("/") ? config.baseUrl() : config.baseUrl() + "/"),
                config.apiKey().isBlank() ? Optional.ofNullable(System.getenv(config.apiKeyEnv())) : Optional.of(config.apiKey()),
                config.maxTokens(), new ModelHttp.Timing(Duration.ofSeconds(10), Duration.ofMillis(config.responseTimeoutMs()),
                        config.maxRetries(), Duration.ofSeconds(30)));
    }

    AnthropicProvider(String id, URI baseUrl, Optional<String> apiKey, int maxTokens, ModelHttp.Timing timing) {
        this.id = id;
        this.maxTokens = maxTokens;
        Map<String, String> headers = new HashMap<>();
        headers.put("anthropic-version", API_VERSION);
        apiKey.filter(k -> !k.isBlank()).ifPresent(key -> headers.put("x-api-key", key));
        this.http = new ModelHttp(id, baseUrl, headers, timing);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<ModelInfo> models() throws ModelException {
        String text = http.readAll(http.send(http.request("models").GET().build()).body());
        List<ModelInfo> models = new ArrayList<>();
        try {
            JsonObject body = JsonParser.parseString(text).getAsJsonObject();
            for (JsonElement model : body.getAsJsonArray("data")) {
                models.add(new ModelInfo(id, model.getAsJsonObject().get("id").getAsString(), 0));
            }
        } catch (RuntimeException e) {
            throw new ModelException(ModelException.Kind.MALFORMED_RESPONSE, id + ": the model list is not what the "
                    + "Messages API sends: " + ModelHttp.abbreviate(text));
        }
        return List.copyOf(models);
    }

    @Override
    public ChatResponse chat(ChatRequest request, ChatListener listener) throws ModelException {
        HttpResponse<InputStream> response = http.send(http.request("messages")
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(AnthropicWire.request(request, maxTokens).toString())).build());
        AnthropicStream stream = new AnthropicStream(listener);
        http.stream(response.body(), stream::line);
        return stream.finish();
    }
}
