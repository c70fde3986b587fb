package io.boxagnts.api.model;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Finds the model servers running on this machine (on their default ports) and offers each as a
 * {@link ModelProvider}, so that a user with Ollama running gets a working default without configuring anything.
 */
@ProviderType
public interface ModelDiscovery {

    /** What the last probe found. */
    List<ModelServer> servers();

    /** Probes again now (a server may have been started since) and answers what it found. */
    List<ModelServer> rediscover();
}
