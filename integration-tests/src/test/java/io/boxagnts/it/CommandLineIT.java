package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** What a user sees when the command line or the machine is not right: one clear line, a non-zero exit. */
public class CommandLineIT {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    /** Runs boxagnts to its end and checks that it said exactly one line on stderr, mentioning every hint. */
    private void assertRefused(int exitCode, Map<String, String> env, List<String> hints, String... args)
            throws Exception {
        try (BoxagntsProcess boxagnts = BoxagntsProcess.start(env, args)) {
            assertEquals("exit code", exitCode, boxagnts.exitCode());
            List<String> stderr = boxagnts.stderr();
            assertEquals("exactly one line on stderr: " + stderr, 1, stderr.size());
            String line = stderr.get(0);
            assertTrue(line, line.startsWith("boxagnts: "));
            for (String hint : hints) {
                assertTrue("'" + hint + "' in: " + line, line.contains(hint));
            }
        }
    }

    private String[] withDataDir(String... args) throws IOException {
        String[] all = new String[args.length + 2];
        all[0] = "--data-dir";
        all[1] = temp.newFolder().toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return all;
    }

    @Test
    public void aWorkspaceThatDoesNotExist() throws Exception {
        Path missing = temp.getRoot().toPath().resolve("missing");
        assertRefused(2, Map.of(), List.of(missing.toString(), "does not exist"),
                withDataDir("--workspace-dir", missing.toString()));
    }

    @Test
    public void aWorkspaceThatIsAFile() throws Exception {
        Path file = temp.newFile("notes.txt").toPath();
        assertRefused(2, Map.of(), List.of("is not a directory"), withDataDir("--workspace-dir", file.toString()));
    }

    @Test
    public void anUnknownFlag() throws Exception {
        assertRefused(2, Map.of(), List.of("unknown option '--prot'", "--help"), withDataDir("--prot", "1"));
    }

    @Test
    public void aPortAlreadyInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = Integer.toString(taken.getLocalPort());
            assertRefused(2, Map.of(), List.of("port " + port, "already in use", "--port"),
                    withDataDir("--workspace-dir", temp.newFolder().toString(), "--port", port));
        }
    }

    @Test
    public void aJavaThatIsTooOld() throws Exception {
        // A stand-in JDK that answers -version like Java 17 does; the script must refuse it, not run it.
        Path jdk = temp.newFolder("jdk17").toPath();
        Path java = Files.createDirectories(jdk.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"17.0.15\" 2025-04-15' >&2\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertRefused(1, Map.of("BOXAGNTS_JAVA_HOME", jdk.toString()),
                List.of("Java 22 or newer", "Java 17", jdk.toString()), withDataDir());
    }

    @Test
    public void aJavaHomeWithoutJava() throws Exception {
        Path empty = temp.newFolder("not-a-jdk").toPath();
        assertRefused(1, Map.of("BOXAGNTS_JAVA_HOME", empty.toString()), List.of(empty.toString(), "no bin/java"),
                withDataDir());
    }

    @Test
    public void helpAndVersionSucceed() throws Exception {
        try (BoxagntsProcess help = BoxagntsProcess.start("--help")) {
            assertEquals(0, help.exitCode());
            assertTrue(String.join("\n", help.stdout()).contains("--workspace-dir DIR"));
        }
        try (BoxagntsProcess version = BoxagntsProcess.start("--version")) {
            assertEquals(0, version.exitCode());
            assertTrue(version.stdout().toString(), version.stdout().get(0).startsWith("boxagnts 0."));
            // target/boxagnts is the developer distribution, the one ./boxagnts runs
            assertTrue(version.stdout().toString(), version.stdout().get(0).contains(", developer distribution ("));
        }
    }
}
