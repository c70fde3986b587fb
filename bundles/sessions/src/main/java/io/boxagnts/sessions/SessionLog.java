package io.boxagnts.sessions;

import com.google.gson.JsonObject;
import io.boxagnts.api.agent.AgentEvent;
import io.boxagnts.api.model.Usage;
import io.boxagnts.api.session.SessionInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A session file read back: its header, renames applied, and its events. */
record SessionLog(SessionInfo info, List<AgentEvent> events) {

    private static final Logger LOG = LoggerFactory.getLogger(SessionLog.class);

    /**
     * Reads a file's text. The part after the last newline is a line a crash left half-written: it is ignored. A
     * complete line that does not parse is skipped with a warning; the rest of the session stays readable.
     */
    static Optional<SessionLog> parse(String text, String name) {
        int end = text.lastIndexOf('\n');
        String complete = end < 0 ? "" : text.substring(0, end);
        String[] lines = complete.isEmpty() ? new String[0] : complete.split("\n", -1);
        if (lines.length == 0) {
            return Optional.empty();
        }
        JsonObject header;
        try {
            header = EventCodec.parse(lines[0]);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        if (!"session".equals(header.has(EventCodec.TYPE) ? header.get(EventCodec.TYPE).getAsString() : null)) {
            return Optional.empty();
        }
        String id = header.get("id").getAsString();
        String title = header.get("title").getAsString();
        Instant created = Instant.parse(header.get("createdAt").getAsString());
        Instant updated = created;
        List<AgentEvent> events = new ArrayList<>();
        Usage usage = Usage.NONE;
        long turnMillis = 0;
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                JsonObject line = EventCodec.parse(lines[i]);
                if ("renamed".equals(line.get(EventCodec.TYPE).getAsString())) {
                    title = line.get("title").getAsString();
                    updated = Instant.parse(line.get("at").getAsString());
                    continue;
                }
                Optional<AgentEvent> event = EventCodec.decode(line);
                if (event.isPresent()) {
                    events.add(event.get());
                    updated = event.get().at();
                    if (event.get() instanceof AgentEvent.TurnFinished turn) {
                        usage = usage.plus(turn.usage());
                        turnMillis += turn.millis();
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("session {}: line {} cannot be read and is skipped ({})", name, i + 1, e.getMessage());
            }
        }
        return Optional.of(new SessionLog(new SessionInfo(id, title, created, updated, events.size(), usage, turnMillis),
                List.copyOf(events)));
    }
}
