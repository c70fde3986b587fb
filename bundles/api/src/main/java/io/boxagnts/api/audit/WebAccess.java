package io.boxagnts.api.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One attempt of a tool to reach the web, for the audit log: allowed or refused, with what happened.
 *
 * @param tool the tool that asked
 * @param callId its call
 * @param caller who called the tool
 * @param url the URL asked for
 * @param outcome {@code ok}, {@code refused} (by the policy) or {@code failed}
 * @param status the HTTP status of the last response; 0 when there was none
 * @param address the address connected to last ({@code host:port} as resolved and checked); empty when none
 * @param bytes body bytes read
 * @param detail why it was refused or failed, the redirects followed; empty when there is nothing to say
 * @param startedAt when it started
 * @param duration how long it took
 */
public record WebAccess(String tool, String callId, String caller, String url, String outcome, int status,
        String address, long bytes, String detail, Instant startedAt, Duration duration) {

    public WebAccess {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(outcome, "outcome");
        tool = Objects.requireNonNullElse(tool, "");
        callId = Objects.requireNonNullElse(callId, "");
        caller = Objects.requireNonNullElse(caller, "");
        address = Objects.requireNonNullElse(address, "");
        detail = Objects.requireNonNullElse(detail, "");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(duration, "duration");
    }
}
