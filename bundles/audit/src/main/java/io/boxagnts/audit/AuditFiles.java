package io.boxagnts.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the log lives: {@code audit-<first seq, 12 digits>.jsonl} files in one folder, in name order = time order. */
final class AuditFiles {

    static final String PREFIX = "audit-";
    static final String SUFFIX = ".jsonl";

    private AuditFiles() {}

    static String name(long firstSeq) {
        return PREFIX + String.format("%012d", firstSeq) + SUFFIX;
    }

    /** The sequence number of the file's first record, as its name says; empty for a file named otherwise. */
    static java.util.Optional<Long> firstSeq(Path file) {
        String name = file.getFileName().toString();
        String number = name.startsWith(PREFIX) && name.endsWith(SUFFIX)
                ? name.substring(PREFIX.length(), name.length() - SUFFIX.length()) : "";
        return number.matches("[0-9]{12}") ? java.util.Optional.of(Long.parseLong(number)) : java.util.Optional.empty();
    }

    static boolean isLogFile(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(PREFIX) && name.endsWith(SUFFIX) && Files.isRegularFile(file);
    }

    /** The folder's log files, oldest first; none when the folder does not exist. */
    static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(AuditFiles::isLogFile).sorted().toList();
        }
    }
}
