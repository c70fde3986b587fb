package io.boxagnts.api.model;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/** A source of chat completions with tool calling. */
@ConsumerType
public interface ModelProvider {

    /** Stable identifier, e.g. {@code ollama} or {@code openai}; unique among registered providers. */
    String id();

    /** The models the provider offers now; asks the server, so it may be slow or fail. */
    List<ModelInfo> models() throws ModelException;

    /**
     * One model with its limits (context size, tool calls). Providers that ask the server more than its model list
     * for them cache the answer per model, so calling this before every turn is cheap.
     *
     * @return the model, or empty when the provider does not offer it
     */
    default Optional<ModelInfo> model(String id) throws ModelException {
        return models().stream().filter(m -> m.id().equals(id)).findFirst();
    }

    /**
     * Runs one chat completion, streaming what arrives to {@code listener} on the calling thread.
     *
     * @return the complete assistant message with finish reason and usage
     * @throws ModelException with a typed kind when the call failed; an interrupted call ends with
     *     {@link ModelException.Kind#CANCELLED}
     */
    ChatResponse chat(ChatRequest request, ChatListener listener) throws ModelException;
}
