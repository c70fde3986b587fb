package io.boxagnts.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveStampTest {

    private static final List<String> RUNTIME = List.of("/opt/boxagnts/runtime/bin/java",
            "--module-path=/opt/boxagnts/lib/jvmci/compiler.jar", "--add-modules=jdk.graal.compiler",
            "-XX:StartFlightRecording:filename=start.jfr", "-Xlog:class+load:file=cl.txt",
            "-XX:SharedArchiveFile=/proc/self/fd/9", "-Xshare:auto", "-XX:+VerifySharedSpaces", "-Xlog:cds*=off",
            "-Xmx464m", "-Dboxagnts.home=/opt/boxagnts", "-cp", "/opt/boxagnts/lib/*", "io.boxagnts.launcher.Main",
            "--workspace-dir", "/home/me/project", "-version");

    @TempDir
    Path dir;

    Path archive;
    String identity;

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
    void theCheckIsTheRuntimesOwnJvmWhichStartsOnlyIfTheArchivePasses() throws Exception {
        Path cache = dir.resolve("data/cache");
        assertEquals(Optional.of(List.of("/opt/boxagnts/runtime/bin/java",
                "--module-path=/opt/boxagnts/lib/jvmci/compiler.jar", "--add-modules=jdk.graal.compiler",
                "-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "-XX:+VerifySharedSpaces", "-Xlog:cds*=off",
                "-Xmx464m", "-Dboxagnts.home=/opt/boxagnts", "-cp", "/opt/boxagnts/lib/*", "-Xshare:on",
                "-XX:+VerifySharedSpaces", "io.boxagnts.launcher.ArchiveStamp", archive.toString(), identity,
                dir.toString(), cache.toString())), ArchiveStamp.checkCommand(archive, identity, RUNTIME,
                List.of(dir, cache)));
        assertThrows(IllegalArgumentException.class, () -> ArchiveStamp.checkCommand(archive, identity,
                List.of("java", "-version"), List.of(dir)));
    }

    @Test
    void theCheckingJvmStampsTheArchiveInTheFirstPlaceThatTakesIt() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("lib"), "a file where the folder should be: a read-only place");
        Path cache = dir.resolve("data/cache");
        List<String> command = ArchiveStamp.checkCommand(archive, identity, RUNTIME, List.of(notAFolder, cache))
                .orElseThrow();

        // what the checking JVM runs once the archive passed
        ArchiveStamp.main(command.subList(command.indexOf(ArchiveStamp.class.getName()) + 1, command.size())
                .toArray(String[]::new));

        assertEquals(identity + "\n", Files.readString(cache.resolve(ArchiveStamp.FILE_NAME)));
        try (var left = Files.list(cache)) {
            assertEquals(List.of(cache.resolve(ArchiveStamp.FILE_NAME)), left.toList(), "no partial file is left");
        }
    }

    @Test
    void anArchiveChangedSinceTheScriptReadItIsNotEvenChecked() throws Exception {
        Files.write(archive, new byte[] {1, 2, 3, 4}, StandardOpenOption.WRITE); // same size, other bytes

        assertEquals(Optional.empty(), ArchiveStamp.checkCommand(archive, identity, RUNTIME, List.of(dir)));
    }

    @Test
    void anArchiveChangedWhileItIsCheckedIsNotStamped() throws Exception {
        Files.write(archive, new byte[] {9}, StandardOpenOption.WRITE);

        assertFalse(ArchiveStamp.record(archive, identity, List.of(dir)));
        assertFalse(Files.exists(dir.resolve(ArchiveStamp.FILE_NAME)));
        assertTrue(ArchiveStamp.record(archive, ArchiveStamp.identity(archive), List.of(dir)), "its new identity");
    }

    @Test
    void withoutTheScriptsPropertiesNothingIsChecked() throws Exception {
        assertEquals(Optional.empty(), ArchiveStamp.checkCommand(dir, dir.resolve("data"), RUNTIME));
    }
}
