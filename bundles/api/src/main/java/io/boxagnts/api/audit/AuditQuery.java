package io.boxagnts.api.audit;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Which audit records to read.
 *
 * @param since only records at or after this time; null for all
 * @param tool only calls of this tool (and actions on it); null for all
 * @param type only records of this type ({@code tool_call}, {@code admin} or {@code web_fetch}); null for all
 * @param limit at most this many, the newest ones
 */
public record AuditQuery(Instant since, String tool, String type, int limit) {

    public static final int MAX_LIMIT = 1000;
    /** How many records a query returns when it does not say. */
    public static final int DEFAULT_LIMIT = 100;
    /** The record types. */
    public static final String TOOL_CALL = "tool_call";
    public static final String ADMIN = "admin";
    public static final String WEB_FETCH = "web_fetch";

    public AuditQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1-" + MAX_LIMIT + ", not " + limit);
        }
        if (type != null && !type.equals(TOOL_CALL) && !type.equals(ADMIN) && !type.equals(WEB_FETCH)) {
            throw new IllegalArgumentException("type must be " + TOOL_CALL + ", " + ADMIN + " or " + WEB_FETCH
                    + ", not '" + type + "'");
        }
    }

    /**
     * A query from the texts a user typed (URL parameters, a form); null or blank means "any" (limit: the default).
     *
     * @throws IllegalArgumentException with a message saying what is wrong and what is expected
     */
    public static AuditQuery parse(String since, String tool, String type, String limit) {
        Instant from = null;
        if (!blank(since)) {
            try {
                from = Instant.parse(since.trim());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("since must be an ISO-8601 time such as 2026-11-24T18:00:00Z, not '"
                        + since + "'");
            }
        }
        int count = DEFAULT_LIMIT;
        if (!blank(limit)) {
            try {
                count = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("limit must be a number from 1 to " + MAX_LIMIT);
            }
        }
        return new AuditQuery(from, blank(tool) ? null : tool.trim(), blank(type) ? null : type.trim(), count);
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
