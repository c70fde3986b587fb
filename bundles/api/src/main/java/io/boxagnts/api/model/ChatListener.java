package io.boxagnts.api.model;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives a chat completion as it streams. Called on the thread that called {@link ModelProvider#chat}. */
@ConsumerType
@FunctionalInterface
public interface ChatListener {

    void onDelta(ChatDelta delta);
}
