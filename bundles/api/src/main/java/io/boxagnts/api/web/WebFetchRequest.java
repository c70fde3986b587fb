package io.boxagnts.api.web;

import java.time.Duration;
import java.util.Objects;

/**
 * One fetch a tool asks for.
 *
 * @param url the absolute http(s) URL as the tool gave it
 * @param maxBytes the most body bytes the tool wants (the policy's own limit may be lower); 0: the policy's limit
 * @param timeout the time left to the tool's call; the fetch ends sooner if the policy's limit is lower
 * @param tool the tool asking, for the log
 * @param callId its call, for the log
 * @param caller who called the tool (a session, the API), for the audit log
 */
public record WebFetchRequest(String url, long maxBytes, Duration timeout, String tool, String callId, String caller) {

    public WebFetchRequest {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(timeout, "timeout");
        tool = Objects.requireNonNullElse(tool, "");
        callId = Objects.requireNonNullElse(callId, "");
        caller = Objects.requireNonNullElse(caller, "");
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative");
        }
    }
}
