package io.boxagnts.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.boxagnts.api.agent.AgentEvent;
import io.boxagnts.api.model.Usage;
import io.boxagnts.api.session.SessionInfo;
import io.boxagnts.api.tool.ToolError;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlSessionStoreTest {

    @TempDir
    Path dir;

    private JsonlSessionStore store;

    @BeforeEach
    void setUp() throws Exception {
        store = new JsonlSessionStore(dir, Clock.systemUTC());
    }

    private static List<AgentEvent> oneOfEach(String id) {
        Instant t = Instant.parse("2026-11-24T10:15:30.123Z");
        return List.of(
                new AgentEvent.UserMessage(id, t, "find the TODOs"),
                new AgentEvent.TextDelta(id, t, "Looking…"),
                new AgentEvent.ToolCallStarted(id, t, "call_1", "grep", "{\"pattern\":\"TODO\"}"),
                new AgentEvent.ToolCallFinished(id, t, "call_1", "{\"matches\":[]}", null, 12),
                new AgentEvent.ApprovalRequested(id, t, "call_2", "edit_file", "{\"path\":\"README.md\"}"),
                new AgentEvent.ApprovalDecided(id, t, "call_2", false, "user"),
                new AgentEvent.ToolCallFinished(id, t, "call_2", null,
                        new ToolError(ToolError.Kind.PERMISSION_DENIED, "denied by the user"), 0),
                new AgentEvent.Error(id, t, "the model server closed the stream"),
                new AgentEvent.TurnFinished(id, t, AgentEvent.StopReason.COMPLETED, new Usage(120, 30), 2400));
    }

    @Test
    void everyKindOfEventComesBackAsItWasWritten() throws Exception {
        SessionInfo session = store.create("Fix the README");
        List<AgentEvent> events = oneOfEach(session.id());
        for (AgentEvent event : events) {
            store.append(session.id(), event);
        }
        assertEquals(events, store.events(session.id()));
        SessionInfo info = store.info(session.id()).orElseThrow();
        assertEquals(events.size(), info.events());
        assertEquals(new Usage(120, 30), info.usage());
        assertEquals(2400, info.turnMillis());
    }

    @Test
    void sessionsAreListedRenamedAndDeleted() throws Exception {
        SessionInfo first = store.create("first");
        SessionInfo second = store.create("second");
        store.append(first.id(), new AgentEvent.UserMessage(first.id(), Instant.now().plusSeconds(5), "later"));
        assertEquals(List.of(first.id(), second.id()), store.list().stream().map(SessionInfo::id).toList());
        store.rename(second.id(), "renamed");
        assertEquals("renamed", store.info(second.id()).orElseThrow().title());
        assertTrue(store.delete(first.id()));
        assertFalse(store.delete(first.id()));
        assertEquals(List.of(second.id()), store.list().stream().map(SessionInfo::id).toList());
    }

    @Test
    void aHalfWrittenLastLineIsIgnoredAndClosedOffByTheNextWrite() throws Exception {
        SessionInfo session = store.create("crash");
        List<AgentEvent> events = oneOfEach(session.id());
        store.append(session.id(), events.get(0));
        Path file = dir.resolve(session.id() + ".jsonl");
        Files.writeString(file, "{\"type\":\"TextDelta\",\"sessionId\":\"x\",\"te", StandardOpenOption.APPEND);
        assertEquals(List.of(events.get(0)), store.events(session.id()));
        store.append(session.id(), events.get(1));
        assertEquals(List.of(events.get(0), events.get(1)), store.events(session.id()));
    }

    @Test
    void aDamagedLineInTheMiddleCostsOnlyThatLine() throws Exception {
        SessionInfo session = store.create("damaged");
        List<AgentEvent> events = oneOfEach(session.id());
        store.append(session.id(), events.get(0));
        Files.writeString(dir.resolve(session.id() + ".jsonl"), "%%% not json %%%\n{\"type\":\"FromTheFuture\"}\n",
                StandardOpenOption.APPEND);
        store.append(session.id(), events.get(2));
        assertEquals(List.of(events.get(0), events.get(2)), store.events(session.id()));
    }

    @Test
    void anInterruptedThreadStillWritesAndReads() throws Exception {
        SessionInfo session = store.create("cancelled");
        AgentEvent event = new AgentEvent.Error(session.id(), Instant.parse("2026-11-24T00:00:00Z"), "stopped by the user");
        Thread.currentThread().interrupt();
        try {
            store.append(session.id(), event);
            assertEquals(List.of(event), store.events(session.id()));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void idsCannotNameFilesOutsideTheSessionsFolder() {
        assertThrows(IllegalArgumentException.class, () -> store.events("../../etc/passwd"));
        assertThrows(IllegalArgumentException.class,
                () -> store.append("a/b", new AgentEvent.Error("a/b", Instant.now(), "x")));
    }

    @Test
    void killingTheWriterAtAnyMomentLeavesTheSessionReadable() throws Exception {
        SessionInfo session = store.create("crash test");
        int previous = 0;
        for (int round = 0; round < 5; round++) {
            Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), CrashingWriter.class.getName(),
                    dir.toString(), session.id()).redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
                assertEquals("writing", out.readLine());
                Thread.sleep(ThreadLocalRandom.current().nextInt(20, 200));
                writer.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, mid-write
                assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
            }
            List<AgentEvent> events = store.events(session.id());
            assertTrue(events.size() > previous, "round " + round + ": " + events.size() + " events after " + previous);
            for (AgentEvent event : events) {
                assertTrue(((AgentEvent.TextDelta) event).text().startsWith("chunk "));
            }
            previous = events.size();
        }
    }
}
