package io.boxagnts.api.session;

import io.boxagnts.api.model.Usage;
import java.time.Instant;
import java.util.Objects;

/**
 * What a session list shows.
 *
 * @param id stable identifier
 * @param title the user's name for it
 * @param createdAt when it was created
 * @param updatedAt when its last event was written
 * @param events how many events it holds
 * @param usage tokens its turns consumed, in total
 * @param turnMillis time its turns took, in total
 */
public record SessionInfo(String id, String title, Instant createdAt, Instant updatedAt, int events, Usage usage,
        long turnMillis) {

    public SessionInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        usage = Objects.requireNonNullElse(usage, Usage.NONE);
    }
}
