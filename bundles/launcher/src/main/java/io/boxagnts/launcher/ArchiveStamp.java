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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stamp that lets {@code bin/boxagnts} map the class-data archive ({@code lib/boxagnts.jsa}) without
 * {@code -XX:+VerifySharedSpaces}, a checksum of all of it (~125 ms of every start), once this very file has been
 * verified (decision 0039).
 *
 * <p>The script opens the archive and reads its identity from the open file ({@code stat -c '%d:%i:%s:%.9Y:%.9Z'}:
 * device, inode, size, modification and change time in nanoseconds). Without a stamp holding that identity it starts
 * the runtime with the checksums, as before, and passes the archive's path and identity in {@link #ARCHIVE_PROPERTY}
 * and {@link #IDENTITY_PROPERTY}. Just before the ready line, if the file still has that identity, the launcher starts
 * a second JVM with the runtime's own options and {@code -Xshare:on -XX:+VerifySharedSpaces}, whose main is this
 * class: that JVM does not start at all unless the archive passes every check (checksums, the runtime, the jars), and
 * once started it writes the identity as the stamp if the file still has it. Any change to a file moves its change
 * time, which user tools cannot set back, so a file replaced, rewritten or copied has another identity and is verified
 * again. The second JVM is a process of its own: a runtime stopped right after its start still gets its stamp.
 *
 * <p>The stamp goes next to the archive ({@value #FILE_NAME} in {@code lib/}), or into {@code <data dir>/cache/}
 * where the distribution is read-only. Whoever can write either place could also replace the archive or the runtime,
 * so a forged stamp gives nobody more than they had.
 */
public final class ArchiveStamp {

    static final String FILE_NAME = "boxagnts.jsa.verified";
    /** Set by {@code bin/boxagnts} when the archive has no stamp: the archive's path. */
    static final String ARCHIVE_PROPERTY = "boxagnts.cds.archive";
    /** Set with {@link #ARCHIVE_PROPERTY}: the archive's identity as the script read it before the JVM started. */
    static final String IDENTITY_PROPERTY = "boxagnts.cds.identity";
    /** Longer than a tick of the kernel's file clock (at most 10 ms): a change after now has another change time. */
    private static final Duration CLOCK_TICK = Duration.ofMillis(20);

    private ArchiveStamp() {}

    /**
     * The second JVM: it runs only if the archive passed every check. Arguments: the archive, the identity the script
     * read, the places for the stamp (first that takes it). Always exits 0: 1 is the JVM's for an archive it refused.
     */
    public static void main(String[] args) {
        try {
            List<Path> places = Arrays.stream(args).skip(2).map(Path::of).toList();
            record(Path.of(args[0]), args[1], places);
        } catch (IOException | RuntimeException e) {
            // the next start checks again
        }
    }

    /**
     * After a start without a stamp: the command line of the second JVM, which checks the archive and stamps it if it
     * passes; empty if the script asked for nothing or the archive changed since it read it. {@code thisJvm} is this
     * process's command line (executable, options, main class, arguments).
     */
    static Optional<List<String>> checkCommand(Path home, Path dataDir, List<String> thisJvm) throws IOException {
        String archive = System.getProperty(ARCHIVE_PROPERTY);
        String identity = System.getProperty(IDENTITY_PROPERTY);
        if (archive == null || identity == null) {
            return Optional.empty();
        }
        return checkCommand(Path.of(archive), identity, thisJvm, List.of(home.resolve("lib"),
                dataDir.resolve("cache")));
    }

    static Optional<List<String>> checkCommand(Path archive, String identity, List<String> thisJvm, List<Path> places)
            throws IOException {
        // Unchanged since the script read it, and not within the last tick of the file clock: a change from now on,
        // before or after the second JVM's checks, moves the change time and the identity with it.
        if (!identity(archive).equals(identity) || changed(archive).isAfter(Instant.now().minus(CLOCK_TICK))) {
            return Optional.empty();
        }
        return Optional.of(command(thisJvm, archive, identity, places));
    }

    /**
     * This JVM's command line up to its main class, with the archive named by its path (the script's
     * {@code /proc/self/fd/9} is not open in a child), {@code -Xshare:on -XX:+VerifySharedSpaces}, and this class as
     * the main class: the same runtime, jars and options, so that the archive passes exactly when it would pass for
     * the runtime.
     */
    static List<String> command(List<String> thisJvm, Path archive, String identity, List<Path> places) {
        int main = thisJvm.indexOf(Main.class.getName());
        if (main < 1) {
            throw new IllegalArgumentException("not a command line of " + Main.class.getName() + ": " + thisJvm);
        }
        List<String> command = new ArrayList<>();
        for (String arg : thisJvm.subList(0, main)) {
            if (arg.startsWith("-XX:StartFlightRecording") || arg.startsWith("-Xlog:") && arg.contains(":file=")) {
                continue; // a developer's recording or log file is the runtime's; the check would overwrite it
            }
            command.add(arg.startsWith("-XX:SharedArchiveFile=") ? "-XX:SharedArchiveFile=" + archive : arg);
        }
        command.addAll(List.of("-Xshare:on", "-XX:+VerifySharedSpaces", ArchiveStamp.class.getName(),
                archive.toString(), identity));
        places.forEach(place -> command.add(place.toString()));
        return command;
    }

    /** In the second JVM, whose archive passed: writes the stamp if the file still has the identity. */
    static boolean record(Path archive, String identity, List<Path> places) throws IOException {
        return identity(archive).equals(identity) && write(identity, places);
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
}
