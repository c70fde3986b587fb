package io.boxagnts.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashReportsTest {

    @TempDir
    Path data;

    @Test
    void aFirstStartHasNothingToSay() {
        assertEquals(Optional.empty(), new CrashReports(data).takeUnannounced());
    }

    @Test
    void theNewestReportIsAnnouncedOnceAndANewCrashAgain() throws Exception {
        Path logs = Files.createDirectories(data.resolve("logs"));
        Path older = report(logs, "hs_err_pid100.log", 1_000_000);
        Path newer = report(logs, "hs_err_pid200.log", 2_000_000);
        Files.writeString(logs.resolve("other.log"), "not a crash report");
        CrashReports reports = new CrashReports(data);

        assertEquals(Optional.of(newer), reports.takeUnannounced());
        assertEquals(Optional.empty(), reports.takeUnannounced(), "announced once only");
        assertTrue(Files.exists(older), "reports are kept for the user");

        Path later = report(logs, "hs_err_pid300.log", 3_000_000);
        assertEquals(Optional.of(later), new CrashReports(data).takeUnannounced());
        assertEquals("boxagnts: the last run ended in a JVM crash; its report is " + later,
                CrashReports.notice(later));
    }

    private static Path report(Path logs, String name, long millis) throws Exception {
        Path report = Files.writeString(logs.resolve(name), "# A fatal error has been detected");
        Files.setLastModifiedTime(report, FileTime.fromMillis(millis));
        return report;
    }
}
