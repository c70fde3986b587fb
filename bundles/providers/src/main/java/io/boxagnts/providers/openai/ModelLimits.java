package io.boxagnts.providers.openai;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxagnts.api.model.ModelException;
import io.boxagnts.api.model.ModelInfo;
import io.boxagnts.api.model.ModelInfo.Support;
import io.boxagnts.providers.http.ModelHttp;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a local server says about a model's limits: the context size a request may fill and whether the model calls
 * tools. Each server kind says it its own way, and the model list of the OpenAI-compatible API rarely says it:
 * <ul>
 * <li>llama.cpp: {@code /v1/models} {@code data[].meta.n_ctx}; {@code /props} {@code default_generation_settings.n_ctx}
 * and {@code chat_template_caps.supports_tool_calls};</li>
 * <li>Ollama: {@code /api/ps} (the loaded model's {@code context_length}), else {@code num_ctx} in {@code /api/show}'s
 * {@code parameters}, else Ollama's default of 4,096 (not the {@code *.context_length} the model was trained for,
 * which {@code model_info} states: Ollama cuts the prompt to {@code num_ctx} silently); tools from
 * {@code capabilities};</li>
 * <li>LM Studio: {@code /api/v0/models} {@code loaded_context_length}, else {@code max_context_length}; tools from
 * {@code capabilities} ({@code tool_use});</li>
 * <li>vLLM: {@code max_model_len} in the model list; others (OpenRouter, ...) {@code context_length}.</li>
 * </ul>
 * A configured provider may state the context size itself; that wins. Answers of the extra endpoints are cached per
 * model for a minute (the server may be restarted with another context size) and forgotten when a call fails.
 */
final class ModelLimits {

    /** The kind of server, when discovery knows it; otherwise guessed from its model list. */
    enum Kind { GENERIC, LLAMACPP, OLLAMA, LMSTUDIO, VLLM;

        static Kind of(String providerId) {
            return switch (providerId) {
                case "llamacpp" -> LLAMACPP;
                case "ollama" -> OLLAMA;
                case "lmstudio" -> LMSTUDIO;
                case "vllm" -> VLLM;
                default -> GENERIC;
            };
        }
    }

    /** Ollama's num_ctx when neither the model nor the server sets another. */
    static final int OLLAMA_DEFAULT_CONTEXT = 4096;
    private static final Duration TTL = Duration.ofMinutes(1);
    private static final Pattern NUM_CTX = Pattern.compile("(?m)^\\s*num_ctx\\s+(\\d+)");

    private record Cached(ModelInfo info, Instant until) {}

    private final String providerId;
    private final ModelHttp http;
    private final Kind kind;
    private final int configuredContext;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    ModelLimits(String providerId, ModelHttp http, Kind kind, int configuredContext, Clock clock) {
        this.providerId = providerId;
        this.http = http;
        this.kind = kind;
        this.configuredContext = configuredContext;
        this.clock = clock;
    }

    /** The model of one entry of {@code /v1/models}, with the limits the server states for it. */
    ModelInfo of(JsonObject entry) throws ModelException {
        String id = entry.get("id").getAsString();
        Cached cached = cache.get(id);
        if (cached != null && clock.instant().isBefore(cached.until())) {
            return cached.info();
        }
        ModelInfo info = ask(id, entry);
        if (configuredContext > 0) {
            info = new ModelInfo(providerId, id, configuredContext, info.toolCalls(), "configured");
        }
        cache.put(id, new Cached(info, clock.instant().plus(TTL)));
        return info;
    }

    /** Forgets what the server said: after a failure it may have been restarted with other limits. */
    void forget() {
        cache.clear();
    }

    private ModelInfo ask(String id, JsonObject entry) throws ModelException {
        Kind actual = kind != Kind.GENERIC ? kind : guess(entry);
        return switch (actual) {
            case LLAMACPP -> llamaCpp(id, entry);
            case OLLAMA -> ollama(id);
            case LMSTUDIO -> lmStudio(id, entry);
            case VLLM, GENERIC -> listed(id, entry);
        };
    }

    private static Kind guess(JsonObject entry) {
        String owner = string(entry, "owned_by").toLowerCase(Locale.ROOT);
        if (entry.has("meta") || owner.equals("llamacpp")) {
            return Kind.LLAMACPP;
        }
        if (owner.equals("library") || owner.equals("ollama")) {
            return Kind.OLLAMA;
        }
        return Kind.GENERIC;
    }

    /** What the model list itself says: vLLM's max_model_len, context_length of gateways, llama.cpp's meta. */
    private ModelInfo listed(String id, JsonObject entry) {
        JsonObject meta = entry.has("meta") && entry.get("meta").isJsonObject() ? entry.getAsJsonObject("meta") : null;
        int metaCtx = meta == null ? 0 : integer(meta, "n_ctx");
        if (metaCtx > 0) {
            return new ModelInfo(providerId, id, metaCtx, Support.UNKNOWN, "llama.cpp /v1/models meta.n_ctx");
        }
        int maxModelLen = integer(entry, "max_model_len");
        if (maxModelLen > 0) {
            return new ModelInfo(providerId, id, maxModelLen, Support.UNKNOWN, "vLLM max_model_len");
        }
        int contextLength = integer(entry, "context_length");
        return new ModelInfo(providerId, id, contextLength, Support.UNKNOWN, contextLength > 0 ? "model list" : "");
    }

    private ModelInfo llamaCpp(String id, JsonObject entry) throws ModelException {
        ModelInfo listed = listed(id, entry);
        JsonObject props = getJson("../props");
        if (props == null) {
            return listed;
        }
        int context = listed.contextWindow();
        String from = listed.limitsFrom();
        JsonObject settings = object(props, "default_generation_settings");
        if (context == 0 && settings != null && integer(settings, "n_ctx") > 0) {
            context = integer(settings, "n_ctx");
            from = "llama.cpp /props";
        }
        Support tools = Support.UNKNOWN;
        JsonObject caps = object(props, "chat_template_caps");
        if (caps != null && caps.has("supports_tool_calls")) {
            tools = caps.get("supports_tool_calls").getAsBoolean() ? Support.YES : Support.NO;
        }
        return new ModelInfo(providerId, id, context, tools, from);
    }

    private ModelInfo ollama(String id) throws ModelException {
        JsonObject request = new JsonObject();
        request.addProperty("model", id);
        JsonObject show = postJson("../api/show", request.toString());
        Support tools = Support.UNKNOWN;
        int numCtx = 0;
        int trained = 0;
        if (show != null) {
            if (show.has("capabilities") && show.get("capabilities").isJsonArray()) {
                tools = show.getAsJsonArray("capabilities").asList().stream()
                        .anyMatch(c -> c.isJsonPrimitive() && c.getAsString().equals("tools")) ? Support.YES : Support.NO;
            }
            Matcher matcher = NUM_CTX.matcher(string(show, "parameters"));
            numCtx = matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
            JsonObject info = object(show, "model_info");
            if (info != null) {
                trained = info.entrySet().stream().filter(e -> e.getKey().endsWith(".context_length")
                        && e.getValue().isJsonPrimitive()).mapToInt(e -> e.getValue().getAsInt()).findFirst().orElse(0);
            }
        }
        int loaded = 0;
        JsonObject ps = getJson("../api/ps");
        if (ps != null && ps.has("models") && ps.get("models").isJsonArray()) {
            for (JsonElement model : ps.getAsJsonArray("models")) {
                if (model.isJsonObject() && (id.equals(string(model.getAsJsonObject(), "name"))
                        || id.equals(string(model.getAsJsonObject(), "model")))) {
                    loaded = integer(model.getAsJsonObject(), "context_length");
                }
            }
        }
        if (loaded > 0) {
            return new ModelInfo(providerId, id, loaded, tools, "Ollama /api/ps (loaded)");
        }
        if (numCtx > 0) {
            return new ModelInfo(providerId, id, numCtx, tools, "Ollama num_ctx");
        }
        int context = trained > 0 ? Math.min(trained, OLLAMA_DEFAULT_CONTEXT) : OLLAMA_DEFAULT_CONTEXT;
        return new ModelInfo(providerId, id, context, tools, "Ollama's default num_ctx"
                + (trained > 0 ? " (the model was trained for " + trained + ")" : ""));
    }

    private ModelInfo lmStudio(String id, JsonObject entry) throws ModelException {
        JsonObject models = getJson("../api/v0/models");
        JsonArray data = models != null && models.has("data") && models.get("data").isJsonArray()
                ? models.getAsJsonArray("data") : new JsonArray();
        for (JsonElement element : data) {
            if (!element.isJsonObject() || !id.equals(string(element.getAsJsonObject(), "id"))) {
                continue;
            }
            JsonObject model = element.getAsJsonObject();
            Support tools = model.has("capabilities") && model.get("capabilities").isJsonArray()
                    ? (model.getAsJsonArray("capabilities").asList().stream()
                            .anyMatch(c -> c.isJsonPrimitive() && c.getAsString().equals("tool_use")) ? Support.YES : Support.NO)
                    : Support.UNKNOWN;
            int loaded = integer(model, "loaded_context_length");
            if (loaded > 0) {
                return new ModelInfo(providerId, id, loaded, tools, "LM Studio loaded_context_length");
            }
            int max = integer(model, "max_context_length");
            return new ModelInfo(providerId, id, max, tools, max > 0 ? "LM Studio max_context_length" : "");
        }
        return listed(id, entry);
    }

    /** A JSON answer, or null when the server does not have the endpoint (it is another kind, or older). */
    private JsonObject getJson(String path) throws ModelException {
        return json(http.request(path).GET().build());
    }

    private JsonObject postJson(String path, String body) throws ModelException {
        return json(http.request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private JsonObject json(HttpRequest request) throws ModelException {
        try {
            String text = http.readAll(http.send(request).body());
            JsonElement json = JsonParser.parseString(text);
            return json.isJsonObject() ? json.getAsJsonObject() : null;
        } catch (ModelException e) {
            if (e.kind() == ModelException.Kind.CANCELLED || e.kind() == ModelException.Kind.CONNECTION_REFUSED) {
                throw e;
            }
            return null; // 404 and the like: this server does not say
        } catch (RuntimeException e) {
            return null; // not JSON: it does not say either
        }
    }

    private static JsonObject object(JsonObject json, String field) {
        return json.has(field) && json.get(field).isJsonObject() ? json.getAsJsonObject(field) : null;
    }

    private static String string(JsonObject json, String field) {
        JsonElement value = json.get(field);
        return value != null && value.isJsonPrimitive() ? value.getAsString() : "";
    }

    private static int integer(JsonObject json, String field) {
        JsonElement value = json.get(field);
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
            return 0;
        }
        long number = value.getAsLong();
        return number > 0 && number <= Integer.MAX_VALUE ? (int) number : 0;
    }
}
