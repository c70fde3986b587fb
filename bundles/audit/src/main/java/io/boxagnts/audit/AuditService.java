package io.boxagnts.audit;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxagnts.api.audit.AdminAction;
import io.boxagnts.api.audit.AuditLog;
import io.boxagnts.api.audit.AuditQuery;
import io.boxagnts.api.audit.WebAccess;
import io.boxagnts.api.runtime.RuntimeProperties;
import io.boxagnts.api.tool.ToolCallListener;
import io.boxagnts.api.tool.ToolCallRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log: {@code <data dir>/audit/audit-*.jsonl}. Hears every tool call from the tool registry and takes the
 * administrative actions other bundles report. What it keeps of a call's input is its SHA-256 and a short preview, so
 * file contents and whatever else a model put in arguments stay out of the log beyond that preview.
 */
@Component(service = {AuditLog.class, ToolCallListener.class}, configurationPid = AuditService.PID)
@Designate(ocd = AuditService.Config.class)
public final class AuditService implements AuditLog, ToolCallListener {

    static final String PID = "io.boxagnts.audit";

    @ObjectClassDefinition(name = "BoxAgnts audit log",
            description = "The tamper-evident record of tool calls and administrative actions (<data dir>/audit)")
    public @interface Config {
        @AttributeDefinition(name = "File size (MiB)", description = "A new file starts when the current one would "
                + "grow past this size; files are never rewritten")
        long maxFileMb() default 10;

        @AttributeDefinition(name = "Retention (days)", description = "Files last written longer ago than this are "
                + "deleted whole (the deletion is recorded); 0 keeps them forever")
        int retentionDays() default 0;

        @AttributeDefinition(name = "Argument preview (characters)", description = "How much of a tool call's "
                + "arguments the log keeps as text; the rest only as a SHA-256 digest")
        int previewChars() default 200;
    }

    private static final Logger LOG = LoggerFactory.getLogger(AuditService.class);
    private static final int MAX_MESSAGE_CHARS = 300;

    /** How often a running log looks for files its retention lets go (on the first record written after that). */
    static final Duration RETENTION_CHECK = Duration.ofHours(1);

    /**
     * The journal, once it has found where the chain stands ({@link AuditJournal}'s recovery, with Gson's set-up about
     * 20-30 ms of a cold start) and the retention has been applied: done on a thread of its own, off the start path.
     * Every record and every read waits for it (decision 0041), so none is written before the chain's end is known.
     */
    private final CompletableFuture<AuditJournal> journal;
    private final Path dir;
    private final Clock clock;
    private final int previewChars;
    private final int retentionDays;
    /** Epoch millis from which the next record also applies the retention; a runtime may run for months. */
    private volatile long nextRetentionCheck;

    @Activate
    public AuditService(BundleContext context, Config config) {
        this(dataDir(context).resolve("audit"), config, Clock.systemUTC());
    }

    AuditService(Path dir, Config config, Clock clock) {
        this(dir, config, clock, task -> Thread.ofPlatform().name("boxagnts-audit-open").daemon().start(task));
    }

    /** @param opener runs the opening of the journal (recovery, then retention); tests hold it back */
    AuditService(Path dir, Config config, Clock clock, Executor opener) {
        this.dir = dir;
        this.clock = clock;
        this.previewChars = Math.max(0, config.previewChars());
        this.retentionDays = config.retentionDays();
        long maxFileBytes = Math.max(1, config.maxFileMb()) << 20;
        this.journal = CompletableFuture.supplyAsync(() -> open(maxFileBytes), opener);
    }

    private AuditJournal open(long maxFileBytes) {
        AuditJournal opened;
        try {
            opened = new AuditJournal(dir, maxFileBytes, clock);
        } catch (IOException | RuntimeException e) {
            LOG.error("the audit log {} cannot be continued: {}; no record can be written until that is fixed and "
                    + "the runtime restarted (each one refused is logged here)", dir, e.toString());
            throw new CompletionException(e);
        }
        try {
            applyRetention(opened);
        } catch (IOException | RuntimeException e) {
            LOG.error("the audit log's retention could not be applied: {}", e.toString());
        }
        return opened;
    }

    /**
     * Deletes the files last written longer ago than the retention, and records that it did. Runs when the
     * configuration is applied (when the log is opened after start, and at once when an administrator changes it)
     * and then at most once per {@link #RETENTION_CHECK}, on the next record.
     */
    private void applyRetention(AuditJournal opened) throws IOException {
        if (retentionDays <= 0) {
            return;
        }
        nextRetentionCheck = clock.millis() + RETENTION_CHECK.toMillis();
        List<String> deleted = opened.deleteOlderThan(clock.instant().minus(Duration.ofDays(retentionDays)));
        if (!deleted.isEmpty()) {
            write(opened, admin(new AdminAction("retention", "delete audit files", dir.toString(),
                    Map.of("files", String.join(", ", deleted), "retentionDays", Integer.toString(retentionDays)))));
        }
    }

    /**
     * The opened journal, waiting for its opening if it is still running: uninterruptibly, since a record given up
     * on an interrupt (a tool call stopped at its limit reports afterwards, on the interrupted thread) would be lost.
     */
    private AuditJournal journal() throws IOException {
        try {
            return journal.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException("the audit log " + dir + " could not be opened: " + cause, cause);
        }
    }

    /** Waits for the opening (a deactivated log leaves no thread behind that still writes), then closes. */
    @Deactivate
    void deactivate() {
        try {
            journal().close();
        } catch (IOException e) {
            LOG.debug("closing the audit log: {}", e.toString());
        }
    }

    @Override
    public void toolCalled(ToolCallRecord call) {
        JsonObject fields = new JsonObject();
        fields.addProperty("type", "tool_call");
        fields.addProperty("callId", call.callId());
        fields.addProperty("caller", call.origin().caller());
        fields.addProperty("tool", call.tool());
        fields.addProperty("toolVersion", call.toolVersion());
        fields.addProperty("bundle", call.bundle());
        fields.addProperty("argsSha256", AuditChain.sha256(call.input()));
        fields.addProperty("argsPreview", preview(call.input(), previewChars));
        fields.addProperty("decision", call.origin().decision());
        fields.addProperty("approvedBy", call.origin().approvedBy());
        fields.addProperty("outcome", call.succeeded() ? "ok" : call.error().kind().name());
        if (!call.succeeded()) {
            fields.addProperty("error", preview(call.error().message(), MAX_MESSAGE_CHARS));
        }
        fields.addProperty("startedAt", call.startedAt().toString());
        fields.addProperty("durationMs", call.duration().toMillis());
        fields.addProperty("inputBytes", call.inputBytes());
        fields.addProperty("outputBytes", call.outputBytes());
        append(fields);
    }

    @Override
    public void record(AdminAction action) {
        append(admin(action));
    }

    private static JsonObject admin(AdminAction action) {
        JsonObject fields = new JsonObject();
        fields.addProperty("type", "admin");
        fields.addProperty("actor", action.actor());
        fields.addProperty("action", action.action());
        fields.addProperty("subject", action.subject());
        JsonObject details = new JsonObject();
        new TreeMap<>(action.details()).forEach((key, value) -> details.addProperty(key, preview(value, MAX_MESSAGE_CHARS)));
        fields.add("details", details);
        return fields;
    }

    @Override
    public void record(WebAccess access) {
        JsonObject fields = new JsonObject();
        fields.addProperty("type", AuditQuery.WEB_FETCH);
        fields.addProperty("tool", access.tool());
        fields.addProperty("callId", access.callId());
        fields.addProperty("caller", access.caller());
        fields.addProperty("url", preview(access.url(), MAX_MESSAGE_CHARS));
        fields.addProperty("outcome", access.outcome());
        if (access.status() > 0) {
            fields.addProperty("status", access.status());
        }
        if (!access.address().isEmpty()) {
            fields.addProperty("address", access.address());
        }
        fields.addProperty("bytes", access.bytes());
        if (!access.detail().isEmpty()) {
            fields.addProperty("detail", preview(access.detail(), MAX_MESSAGE_CHARS));
        }
        fields.addProperty("startedAt", access.startedAt().toString());
        fields.addProperty("durationMs", access.duration().toMillis());
        append(fields);
    }

    @Override
    public List<String> find(AuditQuery query) {
        Deque<String> newest = new ArrayDeque<>(query.limit());
        try {
            for (Path file : journal().files()) {
                try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    for (String line; (line = in.readLine()) != null; ) {
                        if (matches(line, query)) {
                            if (newest.size() == query.limit()) {
                                newest.removeFirst();
                            }
                            newest.addLast(line);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("the audit log could not be read completely: {}", e.toString());
        }
        return List.copyOf(newest);
    }

    private static boolean matches(String line, AuditQuery query) {
        if (AuditChain.claimedHash(line).isEmpty()) {
            return false; // a record still being written, or a damaged one: 'audit verify' reports those
        }
        JsonObject record;
        try {
            record = JsonParser.parseString(line).getAsJsonObject();
        } catch (RuntimeException e) {
            return false;
        }
        if (query.type() != null && !query.type().equals(text(record, "type"))) {
            return false;
        }
        if (query.tool() != null && !query.tool().equals(text(record, "tool"))
                && !query.tool().equals(text(record, "subject"))) {
            return false;
        }
        if (query.since() != null) {
            try {
                return !Instant.parse(text(record, "time")).isBefore(query.since());
            } catch (RuntimeException e) {
                return false;
            }
        }
        return true;
    }

    private static String text(JsonObject record, String field) {
        return record.has(field) && record.get(field).isJsonPrimitive() ? record.get(field).getAsString() : null;
    }

    private void append(JsonObject fields) {
        AuditJournal opened;
        try {
            opened = journal();
        } catch (IOException e) {
            LOG.error("could not append to the audit log: {}; the record was: {}", e.getMessage(), fields);
            return;
        }
        write(opened, fields);
        if (retentionDays > 0 && clock.millis() >= nextRetentionCheck) {
            try {
                applyRetention(opened);
            } catch (IOException | RuntimeException e) {
                LOG.error("the audit log's retention could not be applied: {}", e.toString());
            }
        }
    }

    private static void write(AuditJournal opened, JsonObject fields) {
        try {
            opened.append(fields);
        } catch (IOException | RuntimeException e) {
            LOG.error("could not append to the audit log: {}; the record was: {}", e.toString(), fields);
        }
    }

    /** At most {@code max} characters, cut at a character boundary, marked when cut. */
    static String preview(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(Math.max(0, max - 1))) ? max - 1 : max;
        return text.substring(0, Math.max(0, end)) + "…";
    }

    private static Path dataDir(BundleContext context) {
        String dir = context.getProperty(RuntimeProperties.DATA_DIR);
        if (dir == null) {
            throw new IllegalStateException("no data directory is configured (" + RuntimeProperties.DATA_DIR + ")");
        }
        return Path.of(dir);
    }
}
