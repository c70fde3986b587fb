package io.boxagnts.api.model;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/** A source of chat completions with tool calling. */
@ConsumerType
public interface ModelProvider {

    /** Stable identifier, e.g. {@code ollama} or {@code openai}; unique among registered providers. */
    String id();

    /** The models the provider offers now; asks the server, so it may be slow or fail. */
    List<ModelInfo> models() throws ModelException;

    /**
     * Runs one chat completion, streaming what arrives to {@code listener} on the calling thread.
     *
     * @return the complete assistant message with finish reason and usage
     * @throws ModelException with a typed kind when the call failed; an interrupted call ends with
     *     {@link ModelException.Kind#CANCELLED}
     */
    ChatResponse chat(ChatRequest request, ChatListener listener) throws ModelException;
}
