package io.boxagnts.provider.openai;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxagnts.api.model.ChatListener;
import io.boxagnts.api.model.ChatRequest;
import io.boxagnts.api.model.ChatResponse;
import io.boxagnts.api.model.ModelException;
import io.boxagnts.api.model.ModelInfo;
import io.boxagnts.api.model.ModelProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One OpenAI-compatible endpoint. */
@Component(service = ModelProvider.class, configurationPid = "io.boxagnts.provider.openai",
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
    }

    private static final Logger LOG = LoggerFactory.getLogger(OpenAiCompatibleProvider.class);

    private final String id;
    private final URI baseUrl;
    private final Optional<String> apiKey;
    private final Duration responseTimeout;
    private final int maxRetries;
    private final Duration maxRetryDelay;
    private final HttpClient client;

    @Activate
    public OpenAiCompatibleProvider(Config config) {
        this(config.id(), URI.create(config.baseUrl().endsWith("/") ? config.baseUrl() : config.baseUrl() + "/"),
                key(config), Duration.ofMillis(config.connectTimeoutMs()), Duration.ofMillis(config.responseTimeoutMs()),
                config.maxRetries(), Duration.ofMillis(config.maxRetryDelayMs()));
    }

    OpenAiCompatibleProvider(String id, URI baseUrl, Optional<String> apiKey, Duration connectTimeout,
            Duration responseTimeout, int maxRetries, Duration maxRetryDelay) {
        this.id = id;
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.responseTimeout = responseTimeout;
        this.maxRetries = maxRetries;
        this.maxRetryDelay = maxRetryDelay;
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1)
                .build();
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
        HttpResponse<InputStream> response = send(builder("models").GET().build());
        JsonObject body = json(read(response.body()));
        List<ModelInfo> models = new ArrayList<>();
        if (body.has("data") && body.get("data").isJsonArray()) {
            for (JsonElement model : body.getAsJsonArray("data")) {
                JsonObject m = model.getAsJsonObject();
                int window = m.has("context_length") ? m.get("context_length").getAsInt() : 0;
                models.add(new ModelInfo(id, m.get("id").getAsString(), window));
            }
        }
        return List.copyOf(models);
    }

    @Override
    public ChatResponse chat(ChatRequest request, ChatListener listener) throws ModelException {
        String body = WireFormat.request(request).toString();
        HttpResponse<InputStream> response = send(builder("chat/completions")
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        StreamAssembler stream = new StreamAssembler(listener);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (Thread.currentThread().isInterrupted()) {
                    throw cancelled();
                }
                if (!stream.line(line)) {
                    break;
                }
            }
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw cancelled();
            }
            throw new ModelException(ModelException.Kind.STREAM_CUT, id + ": the stream broke off: " + e.getMessage(), e);
        }
        return stream.finish();
    }

    private HttpRequest.Builder builder(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(baseUrl.resolve(path)).timeout(responseTimeout);
        apiKey.ifPresent(key -> builder.header("Authorization", "Bearer " + key));
        return builder;
    }

    /** Sends with retries on 429 and 5xx; answers a 200 response, or throws the precise failure. */
    private HttpResponse<InputStream> send(HttpRequest request) throws ModelException {
        for (int attempt = 0; ; attempt++) {
            HttpResponse<InputStream> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (ConnectException e) {
                throw new ModelException(ModelException.Kind.CONNECTION_REFUSED, id + ": nothing answers at "
                        + baseUrl + " (connection refused); is the model server running?", e);
            } catch (HttpConnectTimeoutException e) {
                throw new ModelException(ModelException.Kind.TIMEOUT, id + ": could not connect to " + baseUrl
                        + " in time", e);
            } catch (HttpTimeoutException e) {
                throw new ModelException(ModelException.Kind.TIMEOUT, id + ": the model server did not start answering within "
                        + responseTimeout.toSeconds() + " s", e);
            } catch (IOException e) {
                throw new ModelException(ModelException.Kind.CONNECTION_REFUSED, id + ": cannot reach " + baseUrl + ": "
                        + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw cancelled();
            }
            int status = response.statusCode();
            if (status == 200) {
                return response;
            }
            String body = readQuietly(response.body());
            boolean retryable = status == 429 || status >= 500;
            if (retryable && attempt < maxRetries) {
                Duration delay = retryDelay(response, attempt);
                LOG.info("{}: HTTP {} from the model server; retrying in {} ms", id, status, delay.toMillis());
                sleep(delay);
                continue;
            }
            throw failure(status, body);
        }
    }

    private Duration retryDelay(HttpResponse<?> response, int attempt) {
        Duration backoff = Duration.ofMillis(Math.min(maxRetryDelay.toMillis(), 500L << Math.min(attempt, 10)));
        Optional<String> retryAfter = response.headers().firstValue("Retry-After");
        if (retryAfter.isPresent()) {
            try {
                long seconds = Long.parseLong(retryAfter.get().trim());
                return Duration.ofSeconds(Math.max(0, seconds)).compareTo(maxRetryDelay) > 0 ? maxRetryDelay
                        : Duration.ofSeconds(Math.max(0, seconds));
            } catch (NumberFormatException e) {
                return backoff; // an HTTP date: fall back to our own backoff
            }
        }
        return backoff;
    }

    private ModelException failure(int status, String body) {
        String message = errorMessage(body);
        String lower = message.toLowerCase(Locale.ROOT);
        if (status == 401 || status == 403) {
            return new ModelException(ModelException.Kind.AUTHENTICATION, id + ": the model server refused the "
                    + "credentials (HTTP " + status + "): " + message);
        }
        if (status == 429) {
            return new ModelException(ModelException.Kind.RATE_LIMITED, id + ": rate limited (HTTP 429) after "
                    + maxRetries + " retries: " + message);
        }
        if (status >= 500) {
            return new ModelException(ModelException.Kind.SERVER_ERROR, id + ": the model server failed (HTTP "
                    + status + ") after " + maxRetries + " retries: " + message);
        }
        if (lower.contains("context") && (lower.contains("length") || lower.contains("window") || lower.contains("too long")
                || lower.contains("maximum"))) {
            return new ModelException(ModelException.Kind.CONTEXT_LENGTH_EXCEEDED, id + ": the conversation is "
                    + "longer than the model's context window: " + message);
        }
        return new ModelException(ModelException.Kind.BAD_REQUEST, id + ": the model server rejected the request (HTTP "
                + status + "): " + message);
    }

    /** The "error.message" of an OpenAI-style error body, else the body itself, shortened. */
    private static String errorMessage(String body) {
        try {
            JsonObject json = JsonParser.parseString(body).getAsJsonObject();
            JsonElement error = json.get("error");
            if (error != null && error.isJsonObject() && error.getAsJsonObject().has("message")) {
                return error.getAsJsonObject().get("message").getAsString();
            }
            if (error != null && error.isJsonPrimitive()) {
                return error.getAsString();
            }
        } catch (RuntimeException e) {
            // not JSON: show the text
        }
        return StreamAssembler.abbreviate(body.strip());
    }

    private JsonObject json(String text) throws ModelException {
        try {
            return JsonParser.parseString(text).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new ModelException(ModelException.Kind.MALFORMED_RESPONSE, id + ": the model server's answer is not "
                    + "a JSON object: " + StreamAssembler.abbreviate(text));
        }
    }

    private String read(InputStream body) throws ModelException {
        try (InputStream in = body) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ModelException(ModelException.Kind.STREAM_CUT, id + ": the answer broke off: " + e.getMessage(), e);
        }
    }

    private static String readQuietly(InputStream body) {
        try (InputStream in = body) {
            return new String(in.readNBytes(64 << 10), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private void sleep(Duration delay) throws ModelException {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw cancelled();
        }
    }

    private ModelException cancelled() {
        return new ModelException(ModelException.Kind.CANCELLED, id + ": the request was cancelled");
    }
}
