package io.boxagnts.audit;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends sealed records ({@link AuditChain}) to the log files of one folder. Files are only ever appended to: a new
 * file starts when the current one would grow past the size limit, and at start-up the chain continues from the last
 * complete record on disk. Every record is forced to disk before {@link #append} returns, so a record the runtime
 * reported is there after a crash. Files may be deleted whole by retention, never changed.
 */
final class AuditJournal implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditJournal.class);
    private static final int TAIL_WINDOW = 1 << 20;

    private final Path dir;
    private final long maxFileBytes;
    private final Clock clock;
    private long seq;
    private String prev;
    private FileOutputStream current;
    private long currentSize;
    private Path currentFile;
    /** The last file ended in a torn record (a crash while writing): never append behind it. */
    private boolean startNewFile;

    AuditJournal(Path dir, long maxFileBytes, Clock clock) throws IOException {
        this.dir = dir;
        this.maxFileBytes = maxFileBytes;
        this.clock = clock;
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        recover();
    }

    /** Seals and appends one record: {@code seq}, {@code time}, then {@code fields}; returns its sequence number. */
    synchronized long append(JsonObject fields) throws IOException {
        JsonObject record = new JsonObject();
        record.addProperty("seq", seq + 1);
        record.addProperty("time", clock.instant().toString());
        for (Map.Entry<String, com.google.gson.JsonElement> field : fields.entrySet()) {
            record.add(field.getKey(), field.getValue());
        }
        String line = AuditChain.seal(record, prev);
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        // A stream, not a FileChannel: a channel is closed by an interrupt of the thread that writes (a tool call
        // stopped at its limit or a cancelled turn reports on such a thread), which lost that record and every later
        // one until a restart. FileOutputStream's write and FileDescriptor.sync ignore interrupts.
        FileOutputStream out = streamFor(bytes.length, seq + 1);
        out.write(bytes);
        out.getFD().sync();
        currentSize += bytes.length;
        seq++;
        prev = AuditChain.claimedHash(line).orElseThrow();
        return seq;
    }

    /** The log files, oldest first. */
    List<Path> files() throws IOException {
        return AuditFiles.list(dir);
    }

    /** Deletes whole files last written before {@code cutoff}, never the one being written; returns their names. */
    synchronized List<String> deleteOlderThan(Instant cutoff) throws IOException {
        List<String> deleted = new ArrayList<>();
        for (Path file : files()) {
            if (!file.equals(currentFile) && Files.getLastModifiedTime(file).compareTo(FileTime.from(cutoff)) < 0) {
                Files.delete(file);
                deleted.add(file.getFileName().toString());
            }
        }
        return deleted;
    }

    @Override
    public synchronized void close() throws IOException {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    private FileOutputStream streamFor(int recordBytes, long firstSeq) throws IOException {
        if (current != null && currentSize > 0 && currentSize + recordBytes > maxFileBytes) {
            current.close();
            current = null;
        }
        if (current == null) {
            Path file = dir.resolve(AuditFiles.name(firstSeq));
            if (!startNewFile && currentFile != null && Files.exists(currentFile)
                    && Files.size(currentFile) + recordBytes <= maxFileBytes) {
                file = currentFile; // continue the file the last run was writing
            } else if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            current = new FileOutputStream(file.toFile(), true);
            currentSize = Files.size(file);
            currentFile = file;
            startNewFile = false;
        }
        return current;
    }

    /** Finds where the chain stands: the last complete record of the newest file that has one. */
    private void recover() throws IOException {
        seq = 0;
        prev = AuditChain.GENESIS;
        List<Path> files = files();
        for (int i = files.size() - 1; i >= 0; i--) {
            Tail tail = tail(files.get(i));
            if (i == files.size() - 1) {
                currentFile = files.get(i);
                startNewFile = tail.torn();
                if (tail.torn()) {
                    LOG.warn("the audit log {} ends in an incomplete record (the runtime stopped while writing it); "
                            + "new records go to a new file", files.get(i));
                }
            }
            if (tail.lastLine() != null) {
                continueAfter(files.get(i), tail.lastLine());
                return;
            }
        }
    }

    private void continueAfter(Path file, String line) {
        try {
            seq = JsonParser.parseString(line).getAsJsonObject().get("seq").getAsLong();
            prev = AuditChain.claimedHash(line).orElseGet(() -> AuditChain.sha256(line));
        } catch (RuntimeException e) {
            LOG.error("the last audit record in {} is damaged ({}); the log continues after it, and 'boxagnts audit "
                    + "verify' will report it", file, e.toString());
            prev = AuditChain.sha256(line);
            startNewFile = true;
        }
    }

    private record Tail(String lastLine, boolean torn) {}

    private static Tail tail(Path file) throws IOException {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long size = in.length();
            if (size == 0) {
                return new Tail(null, false);
            }
            int window = (int) Math.min(size, TAIL_WINDOW);
            byte[] bytes = new byte[window];
            in.seek(size - window);
            in.readFully(bytes);
            boolean torn = bytes[window - 1] != '\n';
            int end = window - 1;
            while (end >= 0 && bytes[end] != '\n') {
                end--; // drop a torn record
            }
            if (end < 0) {
                return new Tail(null, torn);
            }
            int start = end - 1;
            while (start >= 0 && bytes[start] != '\n') {
                start--;
            }
            if (start < 0 && window < size) {
                throw new IOException("the last record of " + file + " is longer than " + TAIL_WINDOW + " bytes");
            }
            return new Tail(new String(bytes, start + 1, end - start - 1, StandardCharsets.UTF_8), torn);
        }
    }
}
