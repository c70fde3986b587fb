package io.boxagnts.api.model;

import java.util.Objects;

/**
 * A model a provider offers, with the limits the server states for it.
 *
 * @param providerId the provider's {@link ModelProvider#id()}
 * @param id the model name the provider expects in requests
 * @param contextWindow tokens one request may hold (prompt and answer together), or 0 when unknown
 * @param toolCalls whether the server says the model can call tools
 * @param limitsFrom where the context size was read, for people (e.g. {@code llama.cpp /props}), or empty
 */
public record ModelInfo(String providerId, String id, int contextWindow, Support toolCalls, String limitsFrom) {

    /** Whether a server says a model can do something. */
    public enum Support { YES, NO, UNKNOWN }

    public ModelInfo {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(id, "id");
        toolCalls = Objects.requireNonNullElse(toolCalls, Support.UNKNOWN);
        limitsFrom = Objects.requireNonNullElse(limitsFrom, "");
    }

    public ModelInfo(String providerId, String id, int contextWindow) {
        this(providerId, id, contextWindow, Support.UNKNOWN, contextWindow > 0 ? "model list" : "");
    }
}
