package io.boxagnts.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxagnts.api.audit.AdminAction;
import io.boxagnts.api.audit.AuditQuery;
import io.boxagnts.api.tool.CallOrigin;
import io.boxagnts.api.tool.ToolCallRecord;
import io.boxagnts.api.tool.ToolError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-24T18:00:00Z"), ZoneOffset.UTC);

    @Test
    void aToolCallKeepsADigestAndAShortPreviewButNotTheContent() throws IOException {
        AuditService audit = service(10, 0);
        String secretContent = "x".repeat(5000) + "THE-END-OF-THE-FILE";
        String input = "{\"path\":\"a.txt\",\"content\":\"" + secretContent + "\"}";
        audit.toolCalled(new ToolCallRecord(clock.instant(), "call-1", new CallOrigin("session s1", "approved once",
                "user"), "write_file", "0.1.0", "io.boxagnts.tool.write_file", input, null, Duration.ofMillis(12),
                input.length(), 20));
        audit.toolCalled(new ToolCallRecord(clock.instant(), "call-2", CallOrigin.UNKNOWN, "read_file", "0.1.0",
                "io.boxagnts.tool.read_file", "{\"path\":\"/etc/passwd\"}",
                new ToolError(ToolError.Kind.PERMISSION_DENIED, "outside the workspace"), Duration.ofMillis(1), 21, 0));
        audit.deactivate();

        String text = Files.readString(only(dir));
        assertFalse(text.contains("THE-END-OF-THE-FILE"), "the content beyond the preview stays out of the log");
        List<String> all = service(10, 0).find(new AuditQuery(null, null, null, 10));
        assertEquals(2, all.size());
        JsonObject first = JsonParser.parseString(all.get(0)).getAsJsonObject();
        assertEquals("tool_call", first.get("type").getAsString());
        assertEquals("session s1", first.get("caller").getAsString());
        assertEquals("approved once", first.get("decision").getAsString());
        assertEquals("user", first.get("approvedBy").getAsString());
        assertEquals("ok", first.get("outcome").getAsString());
        assertEquals(AuditChain.sha256(input), first.get("argsSha256").getAsString());
        assertEquals(201, first.get("argsPreview").getAsString().length(), "200 characters and the ellipsis");
        assertEquals(12, first.get("durationMs").getAsLong());
        JsonObject second = JsonParser.parseString(all.get(1)).getAsJsonObject();
        assertEquals("PERMISSION_DENIED", second.get("outcome").getAsString());
        assertEquals("outside the workspace", second.get("error").getAsString());
        assertEquals(first.get("hash").getAsString(), second.get("prev").getAsString());
        assertEquals(List.of(all.get(1)), service(10, 0).find(new AuditQuery(null, "read_file", null, 10)));
    }

    @Test
    void anIntactLogVerifiesAcrossRotationAndRestarts() throws IOException {
        AuditService audit = service(1, 0);
        for (int i = 0; i < 300; i++) {
            audit.record(new AdminAction("admin", "config change", "pid-" + i, Map.of("blob", "y".repeat(250))));
            if (i == 150) { // a restart continues the chain
                audit.deactivate();
                audit = service(1, 0);
            }
        }
        audit.deactivate();
        assertTrue(AuditFiles.list(dir).size() >= 1);
        AuditVerifier.Result result = AuditVerifier.verify(dir);
        assertTrue(result.intact(), () -> result.broken().toString());
        assertEquals(300, result.records());
    }

    @Test
    void rotatesBySizeIntoNewFilesNamedAfterTheirFirstRecord() throws IOException {
        AuditJournal journal = new AuditJournal(dir, 4096, clock);
        for (int i = 0; i < 40; i++) {
            JsonObject fields = new JsonObject();
            fields.addProperty("type", "admin");
            fields.addProperty("blob", "z".repeat(300));
            journal.append(fields);
        }
        journal.close();
        List<Path> files = AuditFiles.list(dir);
        assertTrue(files.size() > 3, "rotated: " + files);
        for (Path file : files) {
            assertTrue(Files.size(file) <= 4096, file + " stays within the size limit");
        }
        assertEquals("audit-000000000001.jsonl", files.get(0).getFileName().toString());
        assertTrue(AuditVerifier.verify(dir).intact());
        assertEquals(1, AuditVerifier.verify(files.get(1)).files(), "a single file verifies on its own too");
        assertTrue(AuditVerifier.verify(files.get(1)).intact());
    }

    @Test
    void anEditedRecordIsNamed() throws IOException {
        Path file = fiveRecords();
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(2, lines.get(2).replace("\"subject\":\"pid-3\"", "\"subject\":\"pid-X\""));
        Files.write(file, lines);
        AuditVerifier.Result result = AuditVerifier.verify(dir);
        assertFalse(result.intact());
        assertEquals(3, result.broken().get().line());
        assertEquals(3, result.broken().get().seq());
        assertTrue(result.broken().get().problem().contains("edited"), result.broken().get().problem());
        assertEquals(2, result.records());
    }

    @Test
    void anEditedRecordWithARecomputedHashBreaksTheNextOne() throws IOException {
        Path file = fiveRecords();
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        JsonObject record = JsonParser.parseString(lines.get(1)).getAsJsonObject();
        String prev = record.remove("prev").getAsString();
        record.remove("hash");
        record.addProperty("subject", "forged");
        lines.set(1, AuditChain.seal(record, prev));
        Files.write(file, lines);
        AuditVerifier.Result result = AuditVerifier.verify(file);
        assertEquals(3, result.broken().get().line(), "the forged line's successor no longer follows it");
        assertTrue(result.broken().get().problem().contains("removed, inserted or reordered"));
    }

    @Test
    void aRemovedOrReorderedRecordIsFound() throws IOException {
        Path file = fiveRecords();
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.remove(3);
        Files.write(file, lines);
        assertEquals(4, AuditVerifier.verify(dir).broken().get().line());

        Files.write(file, List.of(lines.get(1), lines.get(0)));
        assertFalse(AuditVerifier.verify(dir).intact());

        Files.write(file, lines.subList(1, lines.size()));
        AuditVerifier.Result headCut = AuditVerifier.verify(dir);
        assertEquals(1, headCut.broken().get().line(), "removing the first records shows against the file's name");
    }

    @Test
    void aTornLastRecordStartsANewFileAndVerifyReportsIt() throws IOException {
        Path file = fiveRecords();
        String text = Files.readString(file);
        Files.writeString(file, text.substring(0, text.length() - 30)); // the runtime died writing record 5
        AuditService audit = service(10, 0);
        audit.record(new AdminAction("admin", "enable", "grep", Map.of()));
        audit.deactivate();
        assertEquals(2, AuditFiles.list(dir).size(), "nothing is appended behind a torn record");
        assertEquals(text.substring(0, text.length() - 30), Files.readString(file), "the old file is left as it was");
        AuditVerifier.Result result = AuditVerifier.verify(dir);
        assertEquals(5, result.broken().get().line());
        assertTrue(result.broken().get().problem().contains("cut short"), result.broken().get().problem());
    }

    @Test
    void retentionDeletesWholeOldFilesAndSaysSo() throws IOException {
        AuditJournal journal = new AuditJournal(dir, 2048, clock);
        for (int i = 0; i < 20; i++) {
            JsonObject fields = new JsonObject();
            fields.addProperty("blob", "r".repeat(300));
            journal.append(fields);
        }
        journal.close();
        List<Path> before = AuditFiles.list(dir);
        for (Path file : before.subList(0, before.size() - 1)) {
            Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(clock.instant().minus(Duration.ofDays(40))));
        }
        service(1, 30).deactivate();
        List<Path> after = AuditFiles.list(dir);
        assertEquals(List.of(before.get(before.size() - 1)), after);
        AuditVerifier.Result result = AuditVerifier.verify(dir);
        assertTrue(result.intact(), () -> result.broken().toString());
        assertTrue(result.firstSeq() > 1);
        assertTrue(Files.readString(after.get(0)).contains("delete audit files"));
    }

    /** A runtime that runs for months applies its retention while it runs, not only when it starts. */
    @Test
    void aRunningLogAppliesItsRetentionHourly() throws IOException {
        AuditJournal journal = new AuditJournal(dir, 2048, clock);
        for (int i = 0; i < 20; i++) {
            JsonObject fields = new JsonObject();
            fields.addProperty("blob", "r".repeat(300));
            journal.append(fields);
        }
        journal.close();
        List<Path> before = AuditFiles.list(dir);
        Instant[] now = {clock.instant()};
        Clock moving = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        // opened on this thread: the retention at opening has run before the files are made old below
        AuditService audit = new AuditService(dir, config(1, 30), moving, Runnable::run);
        assertEquals(before, AuditFiles.list(dir), "nothing is old yet");
        for (Path file : before.subList(0, before.size() - 1)) {
            Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(now[0].minus(Duration.ofDays(40))));
        }
        audit.record(new AdminAction("admin", "enable", "grep", Map.of()));
        assertEquals(before, AuditFiles.list(dir), "checked at most once an hour");
        now[0] = now[0].plus(AuditService.RETENTION_CHECK);
        audit.record(new AdminAction("admin", "disable", "grep", Map.of()));
        audit.deactivate();
        List<Path> after = AuditFiles.list(dir);
        assertEquals(List.of(before.get(before.size() - 1)), after);
        assertTrue(Files.readString(after.get(0)).contains("delete audit files"));
        AuditVerifier.Result result = AuditVerifier.verify(dir);
        assertTrue(result.intact(), () -> result.broken().toString());
    }

    /**
     * The log is opened off the start path (decision 0041): a record that comes while the journal still looks for
     * the end of the chain waits for it, even when its thread is interrupted meanwhile, and then continues the chain.
     */
    @Test
    void recordsAndReadsWaitForTheRecoveryAndContinueTheChain() throws Exception {
        Path file = fiveRecords();
        String text = Files.readString(file);
        Files.writeString(file, text.substring(0, text.length() - 30)); // torn: the new record goes to a new file
        List<Runnable> opening = new CopyOnWriteArrayList<>();
        AuditService audit = new AuditService(dir, config(10, 0), clock, opening::add);
        Thread writer = Thread.ofPlatform().start(() -> audit.record(new AdminAction("admin", "enable", "grep",
                Map.of())));
        List<String> read = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofPlatform().start(() -> read.addAll(audit.find(new AuditQuery(null, null, null,
                10))));
        awaitWaiting(writer);
        awaitWaiting(reader);
        writer.interrupt(); // a tool call stopped at its limit reports on its interrupted thread: not lost
        assertEquals(1, AuditFiles.list(dir).size(), "nothing is written before the recovery");
        assertEquals(1, opening.size());
        opening.get(0).run();
        writer.join();
        reader.join();
        audit.deactivate();

        List<Path> files = AuditFiles.list(dir);
        assertEquals(2, files.size(), "behind a torn record nothing is appended, as before");
        assertEquals(text.substring(0, text.length() - 30), Files.readString(file));
        String added = Files.readString(files.get(1));
        JsonObject record = JsonParser.parseString(added.strip()).getAsJsonObject();
        assertEquals(5, record.get("seq").getAsLong(), "the chain goes on from the last complete record (4)");
        assertEquals("enable", record.get("action").getAsString());
        // The writer and the reader are released together: the read sees the new record or not, never the torn one.
        List<Long> seen = read.stream().map(line -> JsonParser.parseString(line).getAsJsonObject().get("seq")
                .getAsLong()).sorted().toList();
        assertTrue(seen.equals(List.of(1L, 2L, 3L, 4L)) || seen.equals(List.of(1L, 2L, 3L, 4L, 5L)),
                () -> "the read saw the complete records the recovery found (and maybe the new one): " + seen);
        AuditVerifier.Result result = AuditVerifier.verify(files.get(1));
        assertTrue(result.intact(), () -> result.broken().toString());
    }

    /**
     * Interrupts that arrive while a record is being written (a turn cancelled as its tool call reports) neither lose
     * that record nor close the log for the next ones: with a FileChannel the first such interrupt closed it for good.
     */
    @Test
    void interruptsWhileWritingLoseNoRecord() throws Exception {
        AuditService audit = new AuditService(dir, config(10, 0), clock, Runnable::run);
        int records = 300;
        Thread writer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < records; i++) {
                audit.record(new AdminAction("admin", "enable", "tool-" + i, Map.of()));
            }
        });
        while (writer.isAlive()) {
            writer.interrupt();
            Thread.onSpinWait();
        }
        writer.join();
        audit.deactivate();

        List<Path> files = AuditFiles.list(dir);
        assertEquals(1, files.size());
        List<String> lines = Files.readAllLines(files.get(0));
        assertEquals(records, lines.size(), "every record is there");
        assertEquals("tool-" + (records - 1),
                JsonParser.parseString(lines.get(records - 1)).getAsJsonObject().get("subject").getAsString());
        AuditVerifier.Result result = AuditVerifier.verify(files.get(0));
        assertTrue(result.intact(), () -> result.broken().toString());
    }

    /** A log that cannot be opened refuses every record (each one logged with the reason) and keeps nothing half. */
    @Test
    void aLogThatCannotBeOpenedRefusesRecordsWithoutThrowing() throws IOException {
        Path notADirectory = dir.resolve("audit");
        Files.writeString(notADirectory, "a file where the folder should be");
        AuditService audit = new AuditService(notADirectory, config(10, 0), clock);
        audit.record(new AdminAction("admin", "enable", "grep", Map.of()));
        assertEquals(List.of(), audit.find(new AuditQuery(null, null, null, 10)));
        audit.deactivate();
        assertEquals("a file where the folder should be", Files.readString(notADirectory));
    }

    private static void awaitWaiting(Thread thread) {
        while (thread.getState() != Thread.State.WAITING) {
            assertTrue(thread.isAlive(), "it waits for the journal's recovery");
            Thread.onSpinWait();
        }
    }

    @Test
    void theCommandExitsNonZeroAndNamesTheBrokenRecord() throws IOException {
        Path file = fiveRecords();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertEquals(0, AuditCommand.run(new String[] {"verify", dir.toString()}, dir, print, print));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("intact: 5 records in 1 file(s)"), out::toString);
        Files.writeString(file, Files.readString(file).replace("pid-4", "pid-5"));
        out.reset();
        assertEquals(1, AuditCommand.run(new String[] {"verify", file.toString()}, dir, print, print));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("audit-000000000001.jsonl line 4 (record 4)"),
                out::toString);
        out.reset();
        assertEquals(2, AuditCommand.run(new String[] {"check"}, dir, print, print));
        assertEquals(2, AuditCommand.run(new String[] {"verify", dir.resolve("nope").toString()}, dir, print, print));
    }

    private Path fiveRecords() throws IOException {
        AuditService audit = service(10, 0);
        for (int i = 1; i <= 5; i++) {
            audit.record(new AdminAction("admin", "config change", "pid-" + i, Map.of("n", Integer.toString(i))));
        }
        audit.deactivate();
        assertTrue(AuditVerifier.verify(dir).intact());
        return only(dir);
    }

    private Path only(Path folder) throws IOException {
        List<Path> files = AuditFiles.list(folder);
        assertEquals(1, files.size());
        return files.get(0);
    }

    private AuditService service(long maxFileMb, int retentionDays) throws IOException {
        return new AuditService(dir, config(maxFileMb, retentionDays), clock);
    }

    private static AuditService.Config config(long maxFileMb, int retentionDays) {
        return new AuditService.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return AuditService.Config.class;
            }

            @Override
            public long maxFileMb() {
                return maxFileMb;
            }

            @Override
            public int retentionDays() {
                return retentionDays;
            }

            @Override
            public int previewChars() {
                return 200;
            }
        };
    }
}
