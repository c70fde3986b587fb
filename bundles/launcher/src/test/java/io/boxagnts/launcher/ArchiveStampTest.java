package io.boxagnts.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveStampTest {

    private static final List<String> RUNTIME = List.of("/opt/boxagnts/runtime/bin/java",
            "--module-path=/opt/boxagnts/lib/jvmci/compiler.jar", "--add-modules=jdk.graal.compiler",
            "-XX:SharedArchiveFile=/proc/self/fd/9", "-Xshare:auto", "-XX:+VerifySharedSpaces", "-Xmx464m",
            "-Dboxagnts.home=/opt/boxagnts", "-cp", "/opt/boxagnts/lib/*", "io.boxagnts.launcher.Main",
            "--workspace-dir", "/home/me/project", "-version");

    @TempDir
    Path dir;

    Path archive;
    String identity;
    final List<List<String>> checks = new ArrayList<>();

    @BeforeEach
    void anArchiveWrittenAWhileAgo() throws Exception {
        archive = Files.write(dir.resolve("boxagnts.jsa"), new byte[4096]);
        Thread.sleep(30); // its change time more than a tick of the file clock in the past
        identity = ArchiveStamp.identity(archive);
    }

    @Test
    void theIdentityIsWhatTheScriptsStatPrints() throws Exception {
        Process stat = new ProcessBuilder("stat", "-L", "-c", "%d:%i:%s:%.9Y:%.9Z", archive.toString()).start();
        String printed = new String(stat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertEquals(0, stat.waitFor());
        assertEquals(printed, identity);
    }

    @Test
    void theCheckIsTheRuntimesOwnJvmMappingTheArchiveByItsPathOrFailing() {
        assertEquals(List.of("/opt/boxagnts/runtime/bin/java", "--module-path=/opt/boxagnts/lib/jvmci/compiler.jar",
                "--add-modules=jdk.graal.compiler", "-XX:SharedArchiveFile=" + archive, "-Xshare:auto",
                "-XX:+VerifySharedSpaces", "-Xmx464m", "-Dboxagnts.home=/opt/boxagnts", "-cp", "/opt/boxagnts/lib/*",
                "-Xshare:on", "-XX:+VerifySharedSpaces", "-version"), ArchiveStamp.verifyCommand(RUNTIME, archive));
        assertThrows(IllegalArgumentException.class, () -> ArchiveStamp.verifyCommand(List.of("java", "-version"),
                archive));
    }

    @Test
    void anArchiveThatPassesIsStampedInTheFirstPlaceThatTakesIt() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("lib"), "a file where the folder should be: a read-only place");
        Path cache = dir.resolve("data/cache");

        assertEquals(ArchiveStamp.Outcome.STAMPED, ArchiveStamp.verifyAndRecord(archive, identity, RUNTIME,
                passing(), List.of(notAFolder, cache)));

        assertEquals(List.of(ArchiveStamp.verifyCommand(RUNTIME, archive)), checks);
        assertEquals(identity + "\n", Files.readString(cache.resolve(ArchiveStamp.FILE_NAME)));
        try (var left = Files.list(cache)) {
            assertEquals(List.of(cache.resolve(ArchiveStamp.FILE_NAME)), left.toList(), "no partial file is left");
        }
    }

    @Test
    void anArchiveThatFailsItsChecksIsNotStamped() throws Exception {
        assertEquals(ArchiveStamp.Outcome.FAILED_CHECKS, ArchiveStamp.verifyAndRecord(archive, identity, RUNTIME,
                command -> false, List.of(dir)));
        assertFalse(Files.exists(dir.resolve(ArchiveStamp.FILE_NAME)));
    }

    @Test
    void anArchiveChangedSinceTheScriptReadItIsNotEvenChecked() throws Exception {
        Files.write(archive, new byte[] {1, 2, 3, 4}, StandardOpenOption.WRITE); // same size, other bytes

        assertEquals(ArchiveStamp.Outcome.CHANGED, ArchiveStamp.verifyAndRecord(archive, identity, RUNTIME,
                passing(), List.of(dir)));
        assertEquals(List.of(), checks);
        assertFalse(Files.exists(dir.resolve(ArchiveStamp.FILE_NAME)));
    }

    @Test
    void anArchiveChangedWhileItIsCheckedIsNotStamped() throws Exception {
        ArchiveStamp.Jvm changing = command -> {
            Files.write(archive, new byte[] {9}, StandardOpenOption.WRITE);
            return true;
        };

        assertEquals(ArchiveStamp.Outcome.CHANGED, ArchiveStamp.verifyAndRecord(archive, identity, RUNTIME, changing,
                List.of(dir)));
        assertFalse(Files.exists(dir.resolve(ArchiveStamp.FILE_NAME)));
    }

    @Test
    void withoutTheScriptsPropertiesNothingIsChecked() throws Exception {
        assertEquals(ArchiveStamp.Outcome.NOT_ASKED, ArchiveStamp.verifyAndRecord(dir, dir.resolve("data"), RUNTIME,
                passing()));
        assertEquals(List.of(), checks);
    }

    private ArchiveStamp.Jvm passing() {
        return command -> {
            checks.add(command);
            return true;
        };
    }
}
