package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * The class-data archive's checksums (decision 0039): a start without a stamp of the archive checksums it, a JVM of
 * its own verifies it once more after the start and stamps it, later starts skip the checksums, and an archive damaged
 * in place is checksummed again and never stamped, never mapped unchecked, never crashes.
 */
public class ClassDataArchiveIT {

    private static final String VERIFY = "-XX:+VerifySharedSpaces";

    @Test
    public void theArchiveIsChecksummedUntilItIsStampedAndADamagedOneIsNeverTrusted() throws Exception {
        Path root = TempDirs.create("boxagnts-archive-it");
        Path dist = copyOfTheDistribution(root.resolve("dist"));
        Path archive = dist.resolve("lib/boxagnts.jsa");
        Path stamp = dist.resolve("lib/boxagnts.jsa.verified");
        Files.createDirectories(root.resolve("workspace"));

        try (BoxagntsProcess first = start(dist, root)) {
            assertTrue("no stamp yet: the checksums run", first.jvmArguments().contains(VERIFY));
            Await.until("the archive is verified and stamped after the start", () -> Files.exists(stamp));
        }
        String identity = stat(archive);
        assertEquals(identity + "\n", Files.readString(stamp));

        try (BoxagntsProcess second = start(dist, root)) {
            List<String> command = second.jvmArguments();
            assertFalse("stamped: no checksums " + command, command.contains(VERIFY));
            assertTrue("the JVM maps the file the script checked", command.contains("-XX:SharedArchiveFile=/proc/self/fd/9"));
        }

        // 4 KiB of noise in the middle, in place: same file, same size, same modification time; a new change time.
        FileTime modified = Files.getLastModifiedTime(archive);
        byte[] noise = new byte[4096];
        new Random(10).nextBytes(noise);
        try (FileChannel channel = FileChannel.open(archive, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(noise), channel.size() / 2);
        }
        Files.setLastModifiedTime(archive, modified);
        assertFalse(stat(archive).equals(identity));

        try (BoxagntsProcess third = start(dist, root)) {
            assertTrue("the stamp no longer matches: the checksums run", third.jvmArguments().contains(VERIFY));
            Await.until("the damaged archive is reported", () -> third.stderr().stream().anyMatch(line -> line.contains(
                    "The class-data archive " + archive + " fails the JVM's checks")));
            assertEquals(200, Http.get(third.url().replaceFirst("\\?token=.*", "api/health")).status());
        }
        assertEquals("never stamped", identity + "\n", Files.readString(stamp));
        try (Stream<Path> reports = Files.list(root.resolve("data/logs"))) {
            assertEquals("no JVM crash", List.of(), reports.filter(p -> p.getFileName().toString().startsWith("hs_err"))
                    .toList());
        }
    }

    private static BoxagntsProcess start(Path dist, Path root) throws Exception {
        int port = BoxagntsProcess.freePort();
        BoxagntsProcess process = BoxagntsProcess.startIn(dist, System.getenv(), "--workspace-dir",
                root.resolve("workspace").toString(), "--data-dir", root.resolve("data").toString(), "--port",
                Integer.toString(port));
        process.awaitReady();
        return process;
    }

    private static String stat(Path file) throws Exception {
        Process stat = new ProcessBuilder("stat", "-L", "-c", "%d:%i:%s:%.9Y:%.9Z", file.toString()).start();
        String printed = new String(stat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertEquals(0, stat.waitFor());
        return printed;
    }

    /**
     * bin/ and lib/ copied (file times kept: the JVM checks the jars' sizes and times against the archive), without a
     * stamp the shared distribution may have; the rest linked.
     */
    private static Path copyOfTheDistribution(Path copy) throws IOException {
        Path dist = BoxagntsProcess.DIST.toRealPath();
        Files.createDirectories(copy);
        try (Stream<Path> entries = Files.list(dist)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (name.equals("bin") || name.equals("lib")) {
                    copyTree(entry, copy.resolve(name));
                } else {
                    Files.createSymbolicLink(copy.resolve(name), entry);
                }
            }
        }
        Files.deleteIfExists(copy.resolve("lib/boxagnts.jsa.verified"));
        return copy;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
