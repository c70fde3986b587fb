package io.boxagnts.api.agent;

import java.util.List;
import java.util.Objects;

/**
 * What the user asks in one turn, and under which settings.
 *
 * @param text the user's message
 * @param providerId the model provider to use, or empty for the default (the first local server found)
 * @param model the model, or empty for the provider's first
 * @param mode {@code ask} (writes need approval, the default), {@code auto-edit} or {@code plan}
 * @param allow tools that run without asking
 * @param deny tools that never run, whatever else says (deny wins)
 */
public record TurnRequest(String text, String providerId, String model, String mode, List<String> allow,
        List<String> deny) {

    public TurnRequest {
        Objects.requireNonNull(text, "text");
        providerId = Objects.requireNonNullElse(providerId, "");
        model = Objects.requireNonNullElse(model, "");
        mode = Objects.requireNonNullElse(mode, "ask");
        allow = List.copyOf(Objects.requireNonNullElse(allow, List.of()));
        deny = List.copyOf(Objects.requireNonNullElse(deny, List.of()));
    }

    public TurnRequest(String text, String providerId, String model, String mode) {
        this(text, providerId, model, mode, List.of(), List.of());
    }
}
