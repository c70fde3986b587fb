package io.boxagnts.api.model;

import java.util.List;
import java.util.Objects;

/**
 * A model server that discovery looked for on this machine.
 *
 * @param providerId the provider id it is served as (ollama, llamacpp, lmstudio, vllm)
 * @param baseUrl where it was looked for
 * @param reachable whether it answered
 * @param models the models it offers, when it answered
 * @param detail why it is not usable, and how to fix that, when it did not
 */
public record ModelServer(String providerId, String baseUrl, boolean reachable, List<String> models, String detail) {

    public ModelServer {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(baseUrl, "baseUrl");
        models = List.copyOf(models);
        detail = Objects.requireNonNullElse(detail, "");
    }
}
