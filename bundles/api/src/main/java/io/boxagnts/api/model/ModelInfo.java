package io.boxagnts.api.model;

import java.util.Objects;

/**
 * A model a provider offers.
 *
 * @param providerId the provider's {@link ModelProvider#id()}
 * @param id the model name the provider expects in requests
 * @param contextWindow tokens the model accepts, or 0 when unknown
 */
public record ModelInfo(String providerId, String id, int contextWindow) {

    public ModelInfo {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(id, "id");
    }
}
