package io.boxagnts.api.model;

/**
 * Tokens consumed by a call, as the provider reports them (0 when it does not).
 *
 * @param inputTokens prompt tokens
 * @param outputTokens generated tokens
 */
public record Usage(long inputTokens, long outputTokens) {

    public static final Usage NONE = new Usage(0, 0);

    public Usage plus(Usage other) {
        return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens);
    }
}
