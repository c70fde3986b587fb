package io.boxagnts.sessions;

import com.google.gson.JsonObject;
import io.boxagnts.api.agent.AgentEvent;
import io.boxagnts.api.model.Usage;
import io.boxagnts.api.runtime.RuntimeProperties;
import io.boxagnts.api.session.SessionInfo;
import io.boxagnts.api.session.SessionStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sessions as JSON Lines files; see the package description for the crash guarantees. */
@Component(service = SessionStore.class)
public final class JsonlSessionStore implements SessionStore {

    private static final Logger LOG = LoggerFactory.getLogger(JsonlSessionStore.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,63}");
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final String SUFFIX = ".jsonl";

    private final Path dir;
    private final Clock clock;
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

    @Activate
    public JsonlSessionStore(BundleContext context) throws IOException {
        this(Path.of(context.getProperty(RuntimeProperties.DATA_DIR), "sessions"), Clock.systemUTC());
    }

    /** A store over {@code dir}, outside OSGi too (tests of other bundles, tools). */
    public JsonlSessionStore(Path dir, Clock clock) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.clock = clock;
    }

    @Override
    public SessionInfo create(String title) throws IOException {
        Instant now = clock.instant();
        String id = ID_TIME.format(now) + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        JsonObject header = new JsonObject();
        header.addProperty(EventCodec.TYPE, "session");
        header.addProperty("id", id);
        header.addProperty("title", title);
        header.addProperty("createdAt", now.toString());
        // Written whole under a temporary name and renamed: the header is either there or not.
        Path temp = Files.createTempFile(dir, id, ".tmp");
        Files.writeString(temp, EventCodec.GSON.toJson(header) + "\n", StandardCharsets.UTF_8);
        Files.move(temp, file(id), StandardCopyOption.ATOMIC_MOVE);
        return new SessionInfo(id, title, now, now, 0, Usage.NONE, 0);
    }

    @Override
    public List<SessionInfo> list() throws IOException {
        List<SessionInfo> sessions = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).toList()) {
                read(file).ifPresent(log -> sessions.add(log.info()));
            }
        }
        sessions.sort(Comparator.comparing(SessionInfo::updatedAt).reversed());
        return List.copyOf(sessions);
    }

    @Override
    public Optional<SessionInfo> info(String id) throws IOException {
        return read(file(id)).map(SessionLog::info);
    }

    @Override
    public List<AgentEvent> events(String id) throws IOException {
        return read(file(id)).map(SessionLog::events).orElseThrow(() -> noSuchSession(id));
    }

    @Override
    public void append(String id, AgentEvent event) throws IOException {
        file(id); // an id that could name another file is refused before anything is encoded
        writeLine(id, EventCodec.encode(java.util.Objects.requireNonNull(event, "event")));
    }

    @Override
    public void rename(String id, String title) throws IOException {
        JsonObject line = new JsonObject();
        line.addProperty(EventCodec.TYPE, "renamed");
        line.addProperty("title", title);
        line.addProperty("at", clock.instant().toString());
        writeLine(id, EventCodec.GSON.toJson(line));
    }

    @Override
    public boolean delete(String id) throws IOException {
        synchronized (lock(id)) {
            return Files.deleteIfExists(file(id));
        }
    }

    /** One line, one write, forced to disk. A line left half-written by a crash is closed off first. */
    private void writeLine(String id, String json) throws IOException {
        Path file = file(id);
        boolean interrupted = Thread.interrupted();
        try {
            writeLine(id, file, json);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Runs with the thread's interrupt cleared: file channels close themselves when their thread is interrupted, and
     * a cancelled turn must still log how it ended.
     */
    private void writeLine(String id, Path file, String json) throws IOException {
        synchronized (lock(id)) {
            if (!Files.exists(file)) {
                throw noSuchSession(id);
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long size = channel.size();
                String prefix = "";
                if (size > 0) {
                    ByteBuffer last = ByteBuffer.allocate(1);
                    channel.read(last, size - 1);
                    prefix = last.get(0) == '\n' ? "" : "\n";
                }
                ByteBuffer bytes = ByteBuffer.wrap((prefix + json + "\n").getBytes(StandardCharsets.UTF_8));
                long position = size;
                while (bytes.hasRemaining()) {
                    position += channel.write(bytes, position);
                }
                channel.force(false);
            }
        }
    }

    private Optional<SessionLog> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String text;
        boolean interrupted = Thread.interrupted(); // as for writes: reading must not fail because a turn is cancelled
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        Optional<SessionLog> log = SessionLog.parse(text, file.getFileName().toString());
        if (log.isEmpty()) {
            LOG.warn("session file {} has no readable header; it is left alone", file);
        }
        return log;
    }

    private Path file(String id) {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("'" + id + "' is not a session id");
        }
        return dir.resolve(id + SUFFIX);
    }

    private Object lock(String id) {
        return locks.computeIfAbsent(id, k -> new Object());
    }

    private static IOException noSuchSession(String id) {
        return new java.nio.file.NoSuchFileException("no session '" + id + "'");
    }
}
