package io.boxagnts.providers.http;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxagnts.api.model.ModelException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP to one model server. Headers (keys among them) go on every request and into no message: errors name the
 * provider and the server, never a credential.
 */
public final class ModelHttp {

    /**
     * How patient to be.
     *
     * @param response longest wait for the answer to start (a local server reads the whole prompt first)
     * @param idle longest silence of a stream once its first line came; zero: no limit
     */
    public record Timing(Duration connect, Duration response, int maxRetries, Duration maxRetryDelay, Duration idle) {

        public static final Duration DEFAULT_IDLE = Duration.ofSeconds(20);

        public Timing(Duration connect, Duration response, int maxRetries, Duration maxRetryDelay) {
            this(connect, response, maxRetries, maxRetryDelay, DEFAULT_IDLE);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ModelHttp.class);

    private final String id;
    private final URI baseUrl;
    private final Map<String, String> headers;
    private final Timing timing;
    private final HttpClient client;

    public ModelHttp(String id, URI baseUrl, Map<String, String> headers, Timing timing) {
        this.id = id;
        this.baseUrl = baseUrl;
        this.headers = Map.copyOf(headers);
        this.timing = timing;
        this.client = HttpClient.newBuilder().connectTimeout(timing.connect()).version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    public URI baseUrl() {
        return baseUrl;
    }

    /** A request to {@code path} under the base URL, with the provider's headers. */
    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(baseUrl.resolve(path)).timeout(timing.response());
        headers.forEach(builder::header);
        return builder;
    }

    /** Sends with retries on 429 and 5xx; answers a 200 response, or throws the precise failure. */
    public HttpResponse<InputStream> send(HttpRequest request) throws ModelException {
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
                throw new ModelException(ModelException.Kind.TIMEOUT, id + ": the model server did not start "
                        + "answering within " + timing.response().toSeconds() + " s", e);
            } catch (IOException e) {
                throw new ModelException(ModelException.Kind.CONNECTION_REFUSED, id + ": cannot reach " + baseUrl
                        + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw cancelled();
            }
            int status = response.statusCode();
            if (status == 200) {
                return response;
            }
            String body = readQuietly(response.body());
            if ((status == 429 || status >= 500) && attempt < timing.maxRetries()) {
                Duration delay = retryDelay(response, attempt);
                LOG.info("{}: HTTP {} from the model server; retrying in {} ms", id, status, delay.toMillis());
                sleep(delay);
                continue;
            }
            throw failure(status, body);
        }
    }

    private Duration retryDelay(HttpResponse<?> response, int attempt) {
        Duration max = timing.maxRetryDelay();
        Duration backoff = Duration.ofMillis(Math.min(max.toMillis(), 500L << Math.min(attempt, 10)));
        Optional<String> retryAfter = response.headers().firstValue("Retry-After");
        if (retryAfter.isEmpty()) {
            return backoff;
        }
        try {
            Duration asked = Duration.ofSeconds(Math.max(0, Long.parseLong(retryAfter.get().trim())));
            return asked.compareTo(max) > 0 ? max : asked;
        } catch (NumberFormatException e) {
            return backoff; // an HTTP date: our own backoff will do
        }
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
                    + timing.maxRetries() + " retries: " + message);
        }
        if (status >= 500) {
            return new ModelException(ModelException.Kind.SERVER_ERROR, id + ": the model server failed (HTTP "
                    + status + ") after " + timing.maxRetries() + " retries: " + message);
        }
        if (body.contains("exceed_context_size_error") // llama.cpp's error type
                || (lower.contains("context") || lower.contains("prompt is too long")) && (lower.contains("length")
                || lower.contains("window") || lower.contains("too long") || lower.contains("maximum")
                || lower.contains("context size"))) {
            return new ModelException(ModelException.Kind.CONTEXT_LENGTH_EXCEEDED, id + ": the conversation is "
                    + "longer than the model's context window: " + message);
        }
        return new ModelException(ModelException.Kind.BAD_REQUEST, id + ": the model server rejected the request "
                + "(HTTP " + status + "): " + message);
    }

    /** The "error.message" of an OpenAI- or Anthropic-style error body, else the body itself, shortened. */
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
        return abbreviate(body.strip());
    }

    /** Receives the lines of a server-sent event stream; answers false to stop reading. */
    @FunctionalInterface
    public interface LineHandler {
        boolean line(String line) throws ModelException;
    }

    /**
     * Reads an event stream line by line until the handler has seen enough or the stream ends. An interrupt of the
     * calling thread (a cancelled turn) ends it with CANCELLED, a broken connection with STREAM_CUT.
     */
    public void stream(InputStream body, LineHandler handler) throws ModelException {
        IdleWatch watch = new IdleWatch(body, timing.idle());
        try (java.io.BufferedReader reader = new java.io.BufferedReader(
                new java.io.InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                watch.heard();
                if (Thread.currentThread().isInterrupted()) {
                    throw cancelled();
                }
                if (!handler.line(line)) {
                    return;
                }
            }
            if (watch.expired()) {
                throw silent();
            }
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw cancelled();
            }
            if (watch.expired()) {
                throw silent();
            }
            throw new ModelException(ModelException.Kind.STREAM_CUT, id + ": the stream broke off: " + e.getMessage(), e);
        } finally {
            watch.stop();
        }
    }

    private ModelException silent() {
        return new ModelException(ModelException.Kind.TIMEOUT, id + ": the model server went silent for "
                + timing.idle().toSeconds() + " s in the middle of its answer (stopped or overloaded?); the answer "
                + "was ended there");
    }

    public String readAll(InputStream body) throws ModelException {
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

    public ModelException cancelled() {
        return new ModelException(ModelException.Kind.CANCELLED, id + ": the request was cancelled");
    }

    public static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
