package io.boxagnts.launcher;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;

/**
 * The JVM's crash reports, which {@code bin/boxagnts} sends to {@code <data dir>/logs/} ({@code -XX:ErrorFile}).
 * A crash ends the JVM before it can say anything useful, so the next start says it: once per report, remembered by
 * the time stamp of a marker file next to the reports.
 */
final class CrashReports {

    static final String GLOB = "hs_err_pid*.log";
    private static final String MARKER = ".crash-reported";

    private final Path logs;

    CrashReports(Path dataDir) {
        this.logs = dataDir.resolve("logs");
    }

    /** The newest report written since the last one announced, if any; it counts as announced from now on. */
    Optional<Path> takeUnannounced() {
        Path marker = logs.resolve(MARKER);
        Path newest = null;
        FileTime newestTime = null;
        try {
            FileTime announced = Files.exists(marker) ? Files.getLastModifiedTime(marker) : null;
            try (DirectoryStream<Path> reports = Files.newDirectoryStream(logs, GLOB)) {
                for (Path report : reports) {
                    FileTime time = Files.getLastModifiedTime(report);
                    if ((announced == null || time.compareTo(announced) > 0)
                            && (newestTime == null || time.compareTo(newestTime) > 0)) {
                        newest = report;
                        newestTime = time;
                    }
                }
            }
            if (newest != null) {
                if (!Files.exists(marker)) {
                    Files.createFile(marker);
                }
                Files.setLastModifiedTime(marker, newestTime);
            }
        } catch (IOException e) {
            // no logs folder (a first start, or not bin/boxagnts) or an unreadable one: nothing to announce
        }
        return Optional.ofNullable(newest);
    }

    /** The one line the next start prints. */
    static String notice(Path report) {
        return "boxagnts: the last run ended in a JVM crash; its report is " + report;
    }
}
