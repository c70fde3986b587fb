package io.boxagnts.api.session;

import io.boxagnts.api.agent.AgentEvent;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Where sessions live. Every completed event is on disk when {@link #append} returns, so a crash loses at most the
 * event being written, never a completed turn.
 */
@ProviderType
public interface SessionStore {

    SessionInfo create(String title) throws IOException;

    /** All sessions, most recently updated first. */
    List<SessionInfo> list() throws IOException;

    Optional<SessionInfo> info(String id) throws IOException;

    /** The session's events in the order they happened; a half-written last event is left out. */
    List<AgentEvent> events(String id) throws IOException;

    void append(String id, AgentEvent event) throws IOException;

    void rename(String id, String title) throws IOException;

    /** @return whether there was such a session */
    boolean delete(String id) throws IOException;
}
