package io.boxagnts.api.model;

import java.util.List;
import java.util.Objects;

/**
 * A model server that discovery looked for on this machine. A server seen once stays listed while it is down, marked
 * unreachable, until it answers again.
 *
 * @param providerId the provider id it is served as (ollama, llamacpp, lmstudio, vllm)
 * @param baseUrl where it was looked for
 * @param reachable whether it answered the last probe
 * @param models the models it offers, when it answered
 * @param detail why it is not usable, and how to fix that, when it did not
 * @param limits what the server states about each model (context size, tool calls), as far as known
 */
public record ModelServer(String providerId, String baseUrl, boolean reachable, List<String> models, String detail,
        List<ModelInfo> limits) {

    public ModelServer {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(baseUrl, "baseUrl");
        models = List.copyOf(models);
        detail = Objects.requireNonNullElse(detail, "");
        limits = List.copyOf(Objects.requireNonNullElse(limits, List.of()));
    }

    public ModelServer(String providerId, String baseUrl, boolean reachable, List<String> models, String detail) {
        this(providerId, baseUrl, reachable, models, detail, List.of());
    }
}
