package io.boxagnts.sessions;

import io.boxagnts.api.agent.AgentEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

/**
 * Run in a child JVM by {@link JsonlSessionStoreTest}: appends events to one session as fast as it can until the test
 * kills it with SIGKILL, at whatever point of a write that happens to be.
 */
public final class CrashingWriter {

    private CrashingWriter() {}

    public static void main(String[] args) throws Exception {
        JsonlSessionStore store = new JsonlSessionStore(Path.of(args[0]), Clock.systemUTC());
        String id = args[1];
        for (long i = 0; ; i++) {
            store.append(id, new AgentEvent.TextDelta(id, Instant.now(), "chunk " + i + " " + "x".repeat((int) (i % 200))));
            if (i == 0) {
                System.out.println("writing");
                System.out.flush();
            }
        }
    }
}
