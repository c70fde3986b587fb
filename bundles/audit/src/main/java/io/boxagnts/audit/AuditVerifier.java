package io.boxagnts.audit;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Checks a log file, or a folder of them in order, record by record: each line must be a sealed record whose hash
 * matches its content, whose {@code prev} is the hash of the record before it, and whose {@code seq} follows it. The
 * first record of the oldest file is taken as the anchor when retention has deleted what came before (its
 * {@code prev} is then not the genesis value, which the result says).
 */
final class AuditVerifier {

    /**
     * What the check found.
     *
     * @param records how many records were checked
     * @param files how many files
     * @param firstSeq the first record's sequence number (1 unless older files were deleted), 0 when there was none
     * @param broken where the chain first breaks and why; empty when it holds
     */
    record Result(long records, int files, long firstSeq, Optional<Break> broken) {

        boolean intact() {
            return broken.isEmpty();
        }
    }

    /** The first broken record: its file, line number (from 1), sequence number if it had one, and what is wrong. */
    record Break(Path file, long line, long seq, String problem) {

        @Override
        public String toString() {
            return file.getFileName() + " line " + line + (seq > 0 ? " (record " + seq + ")" : "") + ": " + problem;
        }
    }

    private AuditVerifier() {}

    /** @param path a log file or a folder of them */
    static Result verify(Path path) throws IOException {
        List<Path> files = Files.isDirectory(path) ? AuditFiles.list(path) : List.of(path);
        Chain chain = new Chain();
        for (Path file : files) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                long lineNumber = 0;
                for (String line; (line = in.readLine()) != null; ) {
                    lineNumber++;
                    Optional<String> problem = chain.check(line);
                    if (problem.isEmpty() && lineNumber == 1) {
                        problem = AuditFiles.firstSeq(file).filter(named -> named != chain.seq)
                                .map(named -> "the file's first record should be record " + named
                                        + ": the records before it were removed");
                    }
                    if (problem.isPresent()) {
                        return new Result(chain.records, files.size(), chain.firstSeq, Optional.of(
                                new Break(file, lineNumber, chain.lastSeqSeen, problem.get())));
                    }
                }
            } catch (java.nio.charset.MalformedInputException e) {
                return new Result(chain.records, files.size(), chain.firstSeq, Optional.of(
                        new Break(file, 0, 0, "the file is not UTF-8 text")));
            }
        }
        return new Result(chain.records, files.size(), chain.firstSeq, Optional.empty());
    }

    /** The state carried from one record to the next. */
    private static final class Chain {
        long records;
        long firstSeq;
        long seq;
        long lastSeqSeen;
        String prev;

        Optional<String> check(String line) {
            lastSeqSeen = 0;
            JsonObject record;
            try {
                JsonElement element = JsonParser.parseString(line);
                if (!element.isJsonObject()) {
                    return Optional.of("not a JSON object");
                }
                record = element.getAsJsonObject();
                lastSeqSeen = record.has("seq") ? record.get("seq").getAsLong() : 0;
            } catch (RuntimeException e) {
                return Optional.of("not a complete JSON record (cut short or edited): " + e.getMessage());
            }
            Optional<String> claimed = AuditChain.claimedHash(line);
            if (claimed.isEmpty() || !record.has("prev") || !record.has("seq")) {
                return Optional.of("not a sealed record (no seq, prev and hash at its end)");
            }
            if (!claimed.get().equals(AuditChain.actualHash(line))) {
                return Optional.of("its content does not match its hash: the record was edited");
            }
            String recordPrev = record.get("prev").getAsString();
            if (prev == null) {
                firstSeq = lastSeqSeen;
                if (lastSeqSeen == 1 && !recordPrev.equals(AuditChain.GENESIS)) {
                    return Optional.of("the first record does not start the chain");
                }
            } else {
                if (!recordPrev.equals(prev)) {
                    return Optional.of("it does not follow the record before it (record " + seq
                            + "): a record was removed, inserted or reordered here");
                }
                if (lastSeqSeen != seq + 1) {
                    return Optional.of("its number follows " + seq + " but is " + lastSeqSeen);
                }
            }
            prev = claimed.get();
            seq = lastSeqSeen;
            records++;
            return Optional.empty();
        }
    }
}
