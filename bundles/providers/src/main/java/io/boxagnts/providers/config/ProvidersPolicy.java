package io.boxagnts.providers.config;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Where model servers may come from (configuration {@value ProvidersFile#POLICY_PID}): besides those the
 * administrator configures, the local servers found on their default ports, and those a user adds. A distribution
 * that allows no outbound host but the configured model servers turns both off in its descriptor (decision 0032).
 */
@ObjectClassDefinition(name = "BoxAgnts model providers", description = "Where model servers may come from besides "
        + "the providers the administrator configures")
public @interface ProvidersPolicy {

    @AttributeDefinition(name = "Discover local servers", description = "Probe the default ports of local model "
            + "servers (Ollama, llama.cpp, LM Studio, vLLM) on loopback and use those that answer")
    boolean discovery() default true;

    @AttributeDefinition(name = "Users may change providers", description = "Let the access token's holder add, "
            + "change and remove providers (the Models screen, PUT /api/providers/configured/ID); otherwise only the "
            + "administrator may")
    boolean userChanges() default true;
}
