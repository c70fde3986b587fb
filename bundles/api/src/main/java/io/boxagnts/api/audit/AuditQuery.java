package io.boxagnts.api.audit;

import java.time.Instant;

/**
 * Which audit records to read.
 *
 * @param since only records at or after this time; null for all
 * @param tool only calls of this tool (and actions on it); null for all
 * @param type only records of this type ({@code tool_call} or {@code admin}); null for all
 * @param limit at most this many, the newest ones
 */
public record AuditQuery(Instant since, String tool, String type, int limit) {

    public static final int MAX_LIMIT = 1000;

    public AuditQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1-" + MAX_LIMIT + ", not " + limit);
        }
    }
}
