package io.boxagnts.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The stamp that lets {@code bin/boxagnts} map the class-data archive ({@code lib/boxagnts.jsa}) without
 * {@code -XX:+VerifySharedSpaces}, a checksum of all of it (~125 ms of every start), once this very file has been
 * verified (decision 0039).
 *
 * <p>The script opens the archive and reads its identity from the open file ({@code stat -c '%d:%i:%s:%.9Y:%.9Z'}:
 * device, inode, size, modification and change time in nanoseconds). Without a stamp holding that identity it starts
 * the runtime with the checksums, as before, and passes the archive's path and identity in {@link #ARCHIVE_PROPERTY}
 * and {@link #IDENTITY_PROPERTY}. Once the runtime is ready, this class asks a second JVM, with the runtime's own
 * options, to map the archive and check it: {@code -Xshare:on -XX:+VerifySharedSpaces -version}, which fails unless
 * the archive passes every check (checksums, the runtime, the jars). If it passes and the file still has the identity
 * the script read, the identity is the stamp: any change to a file moves its change time, which user tools cannot set
 * back, so a file replaced, rewritten or copied has another identity and is verified again.
 *
 * <p>The stamp goes next to the archive ({@value #FILE_NAME} in {@code lib/}), or into {@code <data dir>/cache/}
 * where the distribution is read-only. Whoever can write either place could also replace the archive or the runtime,
 * so a forged stamp gives nobody more than they had.
 */
final class ArchiveStamp {

    static final String FILE_NAME = "boxagnts.jsa.verified";
    /** Set by {@code bin/boxagnts} when the archive has no stamp: the archive's path. */
    static final String ARCHIVE_PROPERTY = "boxagnts.cds.archive";
    /** Set with {@link #ARCHIVE_PROPERTY}: the archive's identity as the script read it before the JVM started. */
    static final String IDENTITY_PROPERTY = "boxagnts.cds.identity";
    /** Longer than a tick of the kernel's file clock (at most 10 ms): a change after now has another change time. */
    private static final Duration CLOCK_TICK = Duration.ofMillis(20);

    /** Runs a JVM command line and says whether it exited with status 0. */
    interface Jvm {
        boolean succeeds(List<String> command) throws IOException, InterruptedException;
    }

    /** The outcome, for the log. */
    enum Outcome { NOT_ASKED, STAMPED, FAILED_CHECKS, CHANGED, NOWHERE_TO_WRITE }

    private ArchiveStamp() {}

    /**
     * After a start without a stamp: verifies the archive in a second JVM and stamps it if it passed. {@code jvm}
     * runs that JVM; {@code thisJvm} is this process's command line (executable, options, main class, arguments).
     */
    static Outcome verifyAndRecord(Path home, Path dataDir, List<String> thisJvm, Jvm jvm)
            throws IOException, InterruptedException {
        String archive = System.getProperty(ARCHIVE_PROPERTY);
        String identity = System.getProperty(IDENTITY_PROPERTY);
        if (archive == null || identity == null) {
            return Outcome.NOT_ASKED;
        }
        return verifyAndRecord(Path.of(archive), identity, thisJvm, jvm,
                List.of(home.resolve("lib"), dataDir.resolve("cache")));
    }

    static Outcome verifyAndRecord(Path archive, String identity, List<String> thisJvm, Jvm jvm, List<Path> places)
            throws IOException, InterruptedException {
        // Unchanged since the script read it, and not within the last tick: a change from now on moves the change time.
        if (!identity(archive).equals(identity)
                || changed(archive).isAfter(Instant.now().minus(CLOCK_TICK))) {
            return Outcome.CHANGED;
        }
        if (!jvm.succeeds(verifyCommand(thisJvm, archive))) {
            return Outcome.FAILED_CHECKS;
        }
        if (!identity(archive).equals(identity)) {
            return Outcome.CHANGED; // while it was checked: what was checked may not be what is there
        }
        return write(identity, places) ? Outcome.STAMPED : Outcome.NOWHERE_TO_WRITE;
    }

    /**
     * This JVM's command line up to its main class, with the archive named by its path (the script's
     * {@code /proc/self/fd/9} is not open in a child), then {@code -Xshare:on -XX:+VerifySharedSpaces -version}:
     * the same runtime, jars and options, so that the archive passes exactly when it would pass for the runtime.
     */
    static List<String> verifyCommand(List<String> thisJvm, Path archive) {
        int main = thisJvm.indexOf(Main.class.getName());
        if (main < 1) {
            throw new IllegalArgumentException("not a command line of " + Main.class.getName() + ": " + thisJvm);
        }
        List<String> command = new ArrayList<>();
        for (String arg : thisJvm.subList(0, main)) {
            command.add(arg.startsWith("-XX:SharedArchiveFile=") ? "-XX:SharedArchiveFile=" + archive : arg);
        }
        command.addAll(List.of("-Xshare:on", "-XX:+VerifySharedSpaces", "-version"));
        return command;
    }

    /** The file's identity as {@code stat -L -c '%d:%i:%s:%.9Y:%.9Z'} prints it. */
    static String identity(Path file) throws IOException {
        Map<String, Object> a = Files.readAttributes(file, "unix:dev,ino,size,lastModifiedTime,ctime");
        return a.get("dev") + ":" + a.get("ino") + ":" + a.get("size") + ":"
                + seconds((FileTime) a.get("lastModifiedTime")) + ":" + seconds((FileTime) a.get("ctime"));
    }

    private static Instant changed(Path file) throws IOException {
        return ((FileTime) Files.getAttribute(file, "unix:ctime")).toInstant();
    }

    private static String seconds(FileTime time) {
        Instant instant = time.toInstant();
        return instant.getEpochSecond() + "." + String.format("%09d", instant.getNano());
    }

    /** Writes the stamp into the first place that takes it, readable by all (it is no secret). */
    private static boolean write(String identity, List<Path> places) {
        for (Path place : places) {
            try {
                Files.createDirectories(place);
                Path partial = Files.createTempFile(place, FILE_NAME, ".partial");
                try {
                    Files.writeString(partial, identity + "\n", StandardCharsets.US_ASCII);
                    Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
                    // a rename in one folder: two runtimes stamping at once each leave a whole file
                    Files.move(partial, place.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                    return true;
                } finally {
                    Files.deleteIfExists(partial);
                }
            } catch (IOException e) {
                // a read-only distribution: the next place
            }
        }
        return false;
    }

    /** The {@link Jvm} of the launcher: a child process, its output dropped, at most a minute. */
    static boolean child(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("the check did not end within 60 s");
        }
        return process.exitValue() == 0;
    }
}
