package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The distribution as a user gets it: the developer archive the build packed ({@code .tar.gz} and {@code .zip}), with
 * the class-data archive the build trained ({@code lib/boxagnts.jsa}), unpacked into a fresh folder far from where it
 * was built, started with its {@code bin/boxagnts} on a workspace and data directory of its own, and used for real
 * tool calls over the HTTP API. A class-data archive without the Graal compiler's classes, used from another path than
 * the one it was trained at, once let such a distribution say "ready", report its engine READY and answer every tool
 * call {@code MODULE_TRAP: java.lang.AssertionError: Compiler initialization failed cannot continue} (decision 0040);
 * the other distribution tests start the image where it was built, or call no tool.
 * <p>
 * {@code -Dboxagnts.test.distribution=DIR/boxagnts-developer-VERSION} (without {@code .tar.gz}/{@code .zip}) tests
 * other archives than the build's, e.g. a release candidate, or a copy with another {@code lib/boxagnts.jsa}.
 */
public class ShippedDistributionIT {

    private static final String VERIFY = "-XX:+VerifySharedSpaces";
    private static final String NOTES = "first line\nneedle: the line grep finds\nlast line\n";
    /** What a start that cannot run tools logs (decision 0040), and a class-data archive the JVM refuses (0039). */
    private static final List<String> BAD_LOG_LINES = List.of("MODULE_TRAP", "Compiler initialization failed",
            "warm-up stopped", "fails the JVM's checks");
    /** The tools' background warm-up (every core tool, 12 rounds) takes about a minute on a busy 2-core machine. */
    private static final Duration WARM_UP = Duration.ofMinutes(5);

    private Path root;
    private Path workspace;

    @Before
    public void workspace() throws Exception {
        root = TempDirs.create("boxagnts-shipped-it");
        workspace = Files.createDirectories(root.resolve("workspace"));
        Files.writeString(workspace.resolve("notes.txt"), NOTES);
        Files.writeString(Files.createDirectories(workspace.resolve("src")).resolve("main.c"), "int main() {}\n");
    }

    @After
    public void deleteEverything() {
        TempDirs.delete(root);
        assertFalse("the test's folders are gone", Files.exists(root));
    }

    /**
     * The tar.gz, which keeps file times: the first start checksums the archive and stamps it (decision 0039), the
     * second maps it on the stamp; both run tools, and the second's warm-up runs every core tool to its end.
     */
    @Test
    public void theTarGzUnpackedElsewhereRunsToolsWithItsClassDataArchive() throws Exception {
        Path dist = DistributionArchives.unpack(shipped("tar.gz"), root.resolve("unpacked-tar"));
        Path stamp = shipsAClassDataArchive(dist);

        assertClean(firstStart(dist, stamp));

        List<String> secondLog;
        try (BoxagntsProcess second = start(dist)) {
            assertFalse("stamped: mapped without the checksums", second.jvmArguments().contains(VERIFY));
            readsAndGreps(second);
            Await.until("the tools' warm-up has ended", WARM_UP, () -> log(second).stream().anyMatch(
                    line -> line.contains("tools warmed up in the background") || line.contains("warm-up stopped")));
            secondLog = stop(second);
        }
        assertClean(secondLog);
        assertNoCrashReport();
    }

    /** The zip, unpacked with unzip: its archive passes the JVM's checks there too, and tools run. */
    @Test
    public void theZipUnpackedElsewhereRunsToolsWithItsClassDataArchive() throws Exception {
        Path dist = DistributionArchives.unpack(shipped("zip"), root.resolve("unpacked-zip"));
        Path stamp = shipsAClassDataArchive(dist);
        assertClean(firstStart(dist, stamp));
        assertNoCrashReport();
    }

    /**
     * The first start of an unpacked copy: without a stamp the checksums run; the tools run; the archive is stamped.
     * Returns all the runtime printed.
     */
    private List<String> firstStart(Path dist, Path stamp) throws Exception {
        try (BoxagntsProcess first = start(dist)) {
            assertTrue("no stamp yet: the checksums run", first.jvmArguments().contains(VERIFY));
            readsAndGreps(first);
            awaitStamp(first, stamp);
            return stop(first);
        }
    }

    /** The archive to test: the build's developer distribution, or the one the property names. */
    private static Path shipped(String format) {
        String other = System.getProperty("boxagnts.test.distribution", "");
        return other.isBlank() ? DistributionArchives.of("developer", format) : Path.of(other + "." + format);
    }

    /** The unpacked distribution holds a class-data archive and no stamp; returns where the stamp will be. */
    private static Path shipsAClassDataArchive(Path dist) throws Exception {
        Path archive = dist.resolve("lib/boxagnts.jsa");
        assertTrue("the build trained a class-data archive and shipped it (its log: 'cds-training: ...')",
                Files.isRegularFile(archive) && Files.size(archive) > 0);
        Path stamp = dist.resolve("lib/boxagnts.jsa.verified");
        assertFalse("a stamp names one file on one machine; none ships", Files.exists(stamp));
        return stamp;
    }

    /** Starts the distribution as a user does: their environment, without BoxAgnts' own overrides. */
    private BoxagntsProcess start(Path dist) throws Exception {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.remove("BOXAGNTS_JAVA_HOME"); // would run another Java, without the archive
        environment.remove("BOXAGNTS_JAVA_OPTS");
        BoxagntsProcess process = BoxagntsProcess.startIn(dist, environment, "--workspace-dir", workspace.toString(),
                "--data-dir", root.resolve("data").toString(), "--port", Integer.toString(BoxagntsProcess.freePort()));
        try {
            process.awaitReady();
        } catch (Throwable e) {
            process.close();
            throw e;
        }
        return process;
    }

    /** read_file reads the file this test wrote, grep finds its known line: real WASM tool calls over HTTP. */
    private static void readsAndGreps(BoxagntsProcess started) throws Exception {
        String base = started.url().replaceFirst("/\\?token=.*", "");
        JsonObject read = result(Http.post(base + "/api/tools/read_file/invoke", "{\"path\":\"notes.txt\"}"));
        assertEquals(NOTES, read.get("content").getAsString());

        JsonObject grep = result(Http.post(base + "/api/tools/grep/invoke", "{\"pattern\":\"needle\"}"));
        assertEquals(grep.toString(), 1, grep.get("total").getAsInt());
        JsonObject match = grep.getAsJsonArray("matches").get(0).getAsJsonObject();
        assertEquals("notes.txt", match.get("path").getAsString());
        assertEquals(2, match.get("line").getAsInt());
        assertEquals("needle: the line grep finds", match.get("text").getAsString());
    }

    private static JsonObject result(Http.Response answer) {
        assertFalse("the tool could not run in this unpacked distribution (decision 0040): " + answer.body(),
                answer.body().contains("MODULE_TRAP"));
        assertEquals(answer.body(), 200, answer.status());
        return JsonParser.parseString(answer.body()).getAsJsonObject().getAsJsonObject("result");
    }

    /**
     * The stamp appears only once a JVM of its own, with the runtime's options, {@code -Xshare:on} and the checksums,
     * accepted the archive: so the tools above ran with this folder's archive mapped, not without one.
     */
    private static void awaitStamp(BoxagntsProcess started, Path stamp) throws Exception {
        Await.until("the class-data archive is verified and stamped, or refused", () -> Files.exists(stamp)
                || log(started).stream().anyMatch(line -> line.contains("fails the JVM's checks")));
        assertTrue("the JVM refused the shipped class-data archive in this folder: " + log(started).stream()
                .filter(line -> line.contains("class-data archive")).toList(), Files.exists(stamp));
    }

    /** Stops the runtime (SIGTERM) and returns all it printed. */
    private static List<String> stop(BoxagntsProcess started) throws Exception {
        started.close();
        started.exitCode(); // its output read to the end
        return log(started);
    }

    private static List<String> log(BoxagntsProcess started) {
        List<String> lines = new ArrayList<>(started.stdout());
        lines.addAll(started.stderr());
        return lines;
    }

    private static void assertClean(List<String> log) {
        List<String> bad = log.stream().filter(line -> BAD_LOG_LINES.stream().anyMatch(line::contains)).toList();
        assertEquals("log lines of a runtime that cannot run its tools or its archive", List.of(), bad);
    }

    private void assertNoCrashReport() throws Exception {
        try (Stream<Path> reports = Files.list(root.resolve("data/logs"))) {
            assertEquals("no JVM crash", List.of(), reports.filter(p -> p.getFileName().toString()
                    .startsWith("hs_err")).toList());
        }
    }
}
