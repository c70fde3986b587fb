package io.boxagnts.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {

    @TempDir
    Path temp;

    private Path cwd;
    private Path home;
    private CommandLine commandLine;

    @BeforeEach
    void setUp() throws IOException {
        cwd = Files.createDirectories(temp.resolve("project")).toRealPath();
        home = Files.createDirectories(temp.resolve("home")).toRealPath();
        commandLine = new CommandLine(cwd, home, Files.createDirectories(temp.resolve("dist")).toRealPath());
    }

    private LaunchOptions run(String... args) throws UsageException {
        return assertInstanceOf(CommandLine.Run.class, commandLine.parse(List.of(args))).options();
    }

    private String error(String... args) {
        return assertThrows(UsageException.class, () -> commandLine.parse(List.of(args))).getMessage();
    }

    @Test
    void defaultsServeTheCurrentDirectoryOnLoopback() throws Exception {
        LaunchOptions options = run();
        assertEquals(cwd, options.workspace());
        assertEquals("127.0.0.1", options.host());
        assertEquals(30001, options.port());
        assertEquals(home.resolve(".boxagnts"), options.dataDir());
        assertEquals(temp.resolve("dist/plugins").toRealPath(), options.pluginsDir());
        assertEquals(temp.resolve("dist/conf").toRealPath(), options.confDir());
    }

    @Test
    void optionsTakeSeparateOrInlineValues() throws Exception {
        Files.createDirectories(cwd.resolve("ws"));
        LaunchOptions options = run("--workspace-dir", "ws", "--port=8080", "--host", "::1", "--data-dir", "~/d");
        assertEquals(cwd.resolve("ws"), options.workspace());
        assertEquals(8080, options.port());
        assertEquals("::1", options.host());
        assertEquals(home.resolve("d"), options.dataDir());
    }

    @Test
    void helpAndVersionWinOverEverythingElse() throws Exception {
        assertInstanceOf(CommandLine.Help.class, commandLine.parse(List.of("--port", "1", "--help")));
        assertInstanceOf(CommandLine.Version.class, commandLine.parse(List.of("--version")));
    }

    @Test
    void aMissingWorkspaceIsNamedWithItsPath() {
        String message = error("--workspace-dir", "nope");
        assertTrue(message.contains(cwd.resolve("nope").toString()) && message.contains("does not exist"), message);
    }

    @Test
    void aFileIsNotAWorkspace() throws IOException {
        Files.writeString(cwd.resolve("file.txt"), "x");
        assertTrue(error("--workspace-dir", "file.txt").contains("is not a directory"));
    }

    @Test
    void unknownAndIncompleteOptionsAreRefused() {
        assertTrue(error("--wrokspace-dir", ".").startsWith("unknown option '--wrokspace-dir'"));
        assertTrue(error("--port").contains("needs a value"));
        assertTrue(error("--port", "--host", "x").contains("needs a value"));
        assertTrue(error("--port", "1", "--port", "2").contains("given twice"));
    }

    @Test
    void portsOutsideTheRangeAreRefused() {
        assertTrue(error("--port", "0").contains("is not a port number"));
        assertTrue(error("--port", "65536").contains("is not a port number"));
        assertTrue(error("--port", "http").contains("is not a port number"));
    }

    @Test
    void aModelUrlMustBeHttp() throws Exception {
        assertEquals("http://127.0.0.1:8081/v1", run("--model-url", "http://127.0.0.1:8081/v1").modelUrl());
        assertEquals("", run().modelUrl());
        assertTrue(error("--model-url", "localhost:8081").contains("is not an http(s) URL"));
    }

    @Test
    void dataInsideTheWorkspaceIsRefusedBecauseToolsCanWriteThere() {
        String message = error("--data-dir", cwd.resolve(".boxagnts").toString());
        assertTrue(message.contains("lies inside the workspace"), message);
    }

    @Test
    void aDataDirThatIsAFileIsRefused() throws IOException {
        Files.writeString(temp.resolve("data"), "x");
        assertTrue(error("--data-dir", temp.resolve("data").toString()).contains("is not a directory"));
    }

    @Test
    void theAccessTokenDefaultsToTheDataDirectory() throws Exception {
        LaunchOptions options = run("--allowed-hosts", "agents.example.org, 10.0.0.7");
        assertEquals(home.resolve(".boxagnts/access-token"), options.access().tokenFile());
        assertFalse(options.access().userManaged());
        assertEquals(List.of("agents.example.org", "10.0.0.7"), options.access().allowedHosts());
        assertTrue(run("--access-token-file", "secret").access().userManaged());
        assertTrue(error("--allowed-hosts", "http://evil").contains("is not a host name"));
    }

    @Test
    void anAdminTokenFileIsOptionalAndNeverGenerated() throws Exception {
        assertEquals(null, run().access().adminTokenFile());
        assertEquals(cwd.resolve("admin-token"), run("--admin-token-file", "admin-token").access().adminTokenFile());
        UsageException missing = assertThrows(UsageException.class,
                () -> AccessTokenFile.readAdmin(temp.resolve("no-admin-token")));
        assertTrue(missing.getMessage().startsWith("the admin token file "), missing.getMessage());
        Path file = Files.writeString(temp.resolve("admin-token"), "a".repeat(40));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        assertTrue(assertThrows(UsageException.class, () -> AccessTokenFile.readAdmin(file)).getMessage()
                .contains("chmod 600"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertEquals("a".repeat(40), AccessTokenFile.readAdmin(file));
    }

    @Test
    void theGeneratedTokenIsPrivateAndStable() throws Exception {
        Path file = temp.resolve("access-token");
        String token = AccessTokenFile.readOrCreate(file, true);
        assertTrue(token.length() >= 32, token);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(token, AccessTokenFile.readOrCreate(file, true));
    }

    @Test
    void aTokenFileOthersCanReadOrThatIsMissingOrShortIsRefused() throws Exception {
        Path file = Files.writeString(temp.resolve("token"), "x".repeat(40));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertTrue(assertThrows(UsageException.class, () -> AccessTokenFile.readOrCreate(file, false))
                .getMessage().contains("chmod 600"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(file, "short");
        assertTrue(assertThrows(UsageException.class, () -> AccessTokenFile.readOrCreate(file, false))
                .getMessage().contains("at least 32"));
        assertTrue(assertThrows(UsageException.class, () -> AccessTokenFile.readOrCreate(temp.resolve("none"), false))
                .getMessage().contains("does not exist"));
    }
}
