package io.boxagnts.api.session;

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
 */
public record SessionInfo(String id, String title, Instant createdAt, Instant updatedAt, int events) {

    public SessionInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
