package io.boxagnts.api.agent;

/**
 * A turn could not start because no model answers: no provider is configured or running, or the chosen server is
 * down. An outage, not a bad request: the same turn works once a server is up (HTTP 503, kind MODEL_UNAVAILABLE).
 */
public class ModelUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
