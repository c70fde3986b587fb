package io.boxagnts.api.model;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The model providers the user configured (besides those discovered on this machine): kept in the data directory,
 * applied at once. An API key goes in and never comes out: entries only say whether one is set.
 */
@ProviderType
public interface ProviderSettings {

    /**
     * A configured provider.
     *
     * @param id its provider id, unique
     * @param type {@code openai} (any OpenAI-compatible server) or {@code anthropic}
     * @param baseUrl where it is served (empty: the type's public endpoint)
     * @param model the model to use by default (empty: the first the provider lists)
     * @param hasKey whether an API key is stored for it
     * @param apiKeyEnv the environment variable its key is read from instead, or empty
     */
    record Entry(String id, String type, String baseUrl, String model, boolean hasKey, String apiKeyEnv) {}

    /**
     * A new or changed provider.
     *
     * @param apiKey the new key; null keeps the stored one, empty removes it
     */
    record Change(String id, String type, String baseUrl, String model, String apiKey) {}

    List<Entry> list();

    /** @throws IllegalArgumentException when the change is not valid, saying why */
    Entry save(Change change) throws IOException;

    /** @return whether there was such a provider */
    boolean delete(String id) throws IOException;

    /**
     * Why only the administrator may {@link #save} and {@link #delete} (a distribution whose model servers are the
     * administrator's alone), or empty when whoever holds the access token may. The caller who knows who asks (the
     * HTTP API) enforces it.
     */
    default Optional<String> reservedToAdministrator() {
        return Optional.empty();
    }
}
