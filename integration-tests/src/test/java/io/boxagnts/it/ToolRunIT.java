package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * {@code bin/boxagnts tool run} as a tool author runs it: a shipped tool bundle with and without a directory, a bare
 * module with arguments, environment and a mapped directory, several directories at their own guest paths (and
 * overlapping ones refused), hostile modules, which end with the same error kinds as in the runtime and a distinct
 * exit status each, and a tool written in C.
 */
public class ToolRunIT {

    private static Path root;
    private static Path workspace;

    @BeforeClass
    public static void prepare() throws IOException {
        root = TempDirs.create("boxagnts-tool-run-it");
        workspace = Files.createDirectories(root.resolve("workspace")).toRealPath();
        Files.writeString(workspace.resolve("hello.txt"), "hello from the workspace\n");
    }

    /** What a run printed and how it ended. */
    private record Run(int status, String stdout, String stderr) {}

    private static Run run(String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(BoxagntsProcess.DIST.resolve("bin/boxagnts").toString(),
                "tool", "run"));
        command.addAll(List.of(args));
        Path in = Files.writeString(root.resolve("stdin-" + System.nanoTime()), stdin);
        Process process = new ProcessBuilder(command).redirectInput(in.toFile()).start();
        // Both streams are small (the output limit caps stdout): read one, then the other.
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertTrue("tool run ended", process.waitFor(Await.DEADLINE.toSeconds(), TimeUnit.SECONDS));
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }

    private static String bundle(String tool) throws IOException {
        try (var jars = Files.list(BoxagntsProcess.DIST.resolve("plugins"))) {
            return jars.filter(j -> j.getFileName().toString().startsWith("io.boxagnts.tool." + tool + "-"))
                    .findFirst().orElseThrow().toString();
        }
    }

    private static String module(String name) {
        return Path.of(System.getProperty("boxagnts.test.hostile"), name + ".wasm").toString();
    }

    @Test
    public void aShippedToolBundleReadsTheMappedDirectoryAndSeesNothingWithoutIt() throws Exception {
        Run read = run("{\"path\":\"hello.txt\"}", bundle("read_file"), "--dir", workspace.toString());
        assertEquals(read.stderr(), 0, read.status());
        assertTrue(read.stdout(), read.stdout().contains("hello from the workspace"));
        assertEquals("", read.stderr());

        Run blind = run("{\"path\":\"hello.txt\"}", bundle("read_file"));
        assertTrue(blind.toString(), blind.status() != 0 && blind.status() < 200);
        assertTrue(blind.stderr(), blind.stderr().contains("boxagnts tool run: TOOL_FAILED: "));
        assertTrue(blind.stdout(), !blind.stdout().contains("hello from the workspace"));
    }

    @Test
    public void aToolBundleNeverGetsMoreThanItDeclares() throws Exception {
        // write_file declares write; read_file declares read: --grant write does not make read_file a writer, and
        // --grant read makes write_file's write a permission error, as a narrowed grant does in the runtime.
        Run denied = run("{\"path\":\"new.txt\",\"content\":\"x\"}", bundle("write_file"), "--dir",
                workspace.toString(), "--grant", "read");
        assertEquals(denied.toString(), 206, denied.status());
        assertTrue(denied.stderr(), denied.stderr().contains("PERMISSION_DENIED"));
        assertTrue("nothing was written", !Files.exists(workspace.resolve("new.txt")));

        Run written = run("{\"path\":\"new.txt\",\"content\":\"x\"}", bundle("write_file"), "--dir",
                workspace.toString());
        assertEquals(written.toString(), 0, written.status());
        assertEquals("x", Files.readString(workspace.resolve("new.txt")));
    }

    @Test
    public void aBareModuleGetsItsArgumentsEnvironmentAndDirectory() throws Exception {
        Run run = run("", module("argsenv"), "--env", "GREETING=hello", "--env", "EMPTY=", "--dir",
                workspace + ":/data", "--", "first", "second arg");
        assertEquals(run.stderr(), 0, run.status());
        String[] parts = run.stdout().split("\n", -1);
        assertEquals(run.stdout(), List.of("argsenv", "first", "second arg"), strings(parts[0]).subList(0, 3));
        assertEquals(run.stdout(), java.util.Set.of("GREETING=hello", "EMPTY="), new java.util.HashSet<>(strings(parts[1])));
        assertEquals(run.stdout(), "/data", parts[2]);

        Run bare = run("", module("argsenv"));
        String[] none = bare.stdout().split("\n", -1);
        assertEquals(bare.stdout(), List.of(), strings(none[1]));
        assertEquals("no directory without --dir", "", none[2]);

        Run exit = run("", module("environ"), "--env", "A=1", "--env", "B=2", "--env", "C=3");
        assertEquals("the module's own exit status: the number of variables it sees", 3, exit.status());
    }

    @Test
    public void hostileModulesEndWithTheRuntimesErrorKindsAndTheirOwnStatus() throws Exception {
        Run loop = run("{}", module("loop"), "--timeout-ms", "300");
        assertEquals(loop.toString(), 202, loop.status());
        assertTrue(loop.stderr(), loop.stderr().contains("TIMEOUT: loop did not finish within its limit of 300 ms"));

        Run membomb = run("{}", module("membomb"), "--memory-mb", "16");
        assertEquals(membomb.toString(), 203, membomb.status());
        assertTrue(membomb.stderr(), membomb.stderr().contains("MEMORY_LIMIT: membomb used all the memory it may (16 MiB)"));

        Run flood = run("{}", module("flood"));
        assertEquals(flood.toString(), 204, flood.status());
        assertTrue(flood.stderr(), flood.stderr().contains("OUTPUT_TOO_LARGE"));

        Run trap = run("{}", module("trap"));
        assertEquals(trap.toString(), 205, trap.status());
        assertTrue(trap.stderr(), trap.stderr().contains("MODULE_TRAP: trap trapped"));

        Path notJson = TestBundles.toolBundle(Files.createDirectories(root.resolve("bundles")), "notjson",
                TestBundles.hostileModule("notjson"), "none", 5000);
        Run bad = run("{}", notJson.toString());
        assertEquals(bad.toString(), 207, bad.status());
        assertTrue(bad.stderr(), bad.stderr().contains("BAD_OUTPUT: notjson succeeded but its output is not one JSON"));

        Path unbounded = TestBundles.toolBundle(root.resolve("bundles"), "unbounded",
                TestBundles.hostileModule("unbounded"), "none", 5000);
        Run refused = run("{}", unbounded.toString());
        assertEquals(refused.toString(), 201, refused.status());
        assertTrue(refused.stderr(), refused.stderr().contains("would be refused: module unbounded.wasm: its linear "
                + "memory declares no maximum"));
    }

    @Test
    public void aWrongCommandLineSaysWhatIsWrong() throws Exception {
        Run missing = run("{}", root.resolve("nothing.wasm").toString());
        assertEquals(200, missing.status());
        assertTrue(missing.stderr(), missing.stderr().contains("nothing.wasm cannot be read"));
        Run twoDirs = run("{}", module("echo"), "--dir", workspace.toString(), "--dir", workspace.toString());
        assertEquals(200, twoDirs.status());
        assertTrue(twoDirs.stderr(), twoDirs.stderr().contains("the guest path / is given twice (also for "
                + workspace + ")"));
        Run envForBundle = run("{}", bundle("grep"), "--env", "A=1");
        assertEquals(200, envForBundle.status());
        assertTrue(envForBundle.stderr(), envForBundle.stderr().contains("a tool bundle gets no environment"));
        Run notJsonInput = run("not json", bundle("grep"));
        assertEquals(200, notJsonInput.status());
        assertTrue(notJsonInput.stderr(), notJsonInput.stderr().contains("INVALID_INPUT: the input is not valid JSON"));
        Run help = run("", "--help");
        assertEquals(0, help.status());
        assertTrue(help.stdout(), help.stdout().contains("202 TIMEOUT"));
    }

    @Test
    public void aToolWrittenInCWithWasiLibcRunsLikeTheRustOnes() throws Exception {
        // The ABI is language-neutral: Debian's clang and wasi-libc build tool-plugins/c/line_count.c.
        Path out = Files.createDirectories(root.resolve("c"));
        Process build = new ProcessBuilder("sh", Path.of(System.getProperty("boxagnts.test.c.tool"), "build.sh")
                .toString(), out.toString()).redirectErrorStream(true).start();
        String log = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(log, 0, build.waitFor());
        Path jar = TestBundles.toolBundle(out.resolve("line_count.jar"), "test.tool.line_count",
                Files.readAllBytes(out.resolve("line_count.json")), "line_count.wasm",
                Files.readAllBytes(out.resolve("line_count.wasm")));
        Files.writeString(workspace.resolve("two-lines.txt"), "first\nsecond\n");

        Run counted = run("{\"path\":\"two-lines.txt\"}", jar.toString(), "--dir", workspace.toString());
        assertEquals(counted.stderr(), 0, counted.status());
        assertEquals("{\"path\":\"two-lines.txt\",\"lines\":2}\n", counted.stdout());

        Run invalid = run("{\"file\":\"two-lines.txt\"}", jar.toString(), "--dir", workspace.toString());
        assertEquals("the tool's own exit status", 1, invalid.status());
        assertTrue(invalid.stderr(), invalid.stderr().contains("boxagnts tool run: INVALID_INPUT: \"path\""));
    }

    /** A C program (wasi-libc) that prints the files it is given and, with OUT set, also writes them there. */
    private static final String CAT = """
            #include <stdio.h>
            #include <stdlib.h>
            int main(int argc, char **argv) {
                const char *path = getenv("OUT");
                FILE *out = path ? fopen(path, "w") : NULL;
                if (path && !out) { perror(path); return 2; }
                for (int i = 1; i < argc; i++) {
                    FILE *in = fopen(argv[i], "r");
                    if (!in) { perror(argv[i]); return 1; }
                    char buffer[4096];
                    size_t n;
                    while ((n = fread(buffer, 1, sizeof buffer, in)) > 0) {
                        fwrite(buffer, 1, n, stdout);
                        if (out) fwrite(buffer, 1, n, out);
                    }
                    fclose(in);
                }
                if (out) fclose(out);
                return 0;
            }
            """;

    @Test
    public void severalDirectoriesEachAtItsOwnGuestPathAndOverlapsRefused() throws Exception {
        Path a = Files.createDirectories(root.resolve("multi-a/sub")).getParent().toRealPath();
        Path b = Files.createDirectories(root.resolve("multi-b")).toRealPath();
        Files.writeString(a.resolve("x.txt"), "from a\n");
        Files.writeString(b.resolve("y.txt"), "from b\n");
        Path c = Files.writeString(root.resolve("cat.c"), CAT);
        Path cat = root.resolve("cat.wasm");
        Process build = new ProcessBuilder(clang(), "--target=wasm32-wasi", "--sysroot=/usr", "-O2", "-Wall",
                "-Werror", "-Wl,--max-memory=16777216", "-o", cat.toString(), c.toString()).redirectErrorStream(true)
                .start();
        String log = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(log, 0, build.waitFor());

        Run both = run("", cat.toString(), "--dir", a + ":/a", "--dir", b + ":/b", "--grant", "write", "--env",
                "OUT=/b/both.txt", "--", "/a/x.txt", "/b/y.txt");
        assertEquals(both.stderr(), 0, both.status());
        assertEquals("from a\nfrom b\n", both.stdout());
        assertEquals("written into the second directory", "from a\nfrom b\n", Files.readString(b.resolve("both.txt")));

        Run readOnly = run("", cat.toString(), "--dir", a + ":/a", "--dir", b + ":/b", "--env", "OUT=/b/again.txt",
                "--", "/a/x.txt");
        assertEquals(readOnly.toString(), 206, readOnly.status());
        assertTrue("nothing written under a read grant", !Files.exists(b.resolve("again.txt")));

        Run twice = run("", cat.toString(), "--dir", a + ":/data", "--dir", b + ":/data");
        assertEquals(200, twice.status());
        assertTrue(twice.stderr(), twice.stderr().contains("--dir " + b + ":/data: the guest path /data is given "
                + "twice (also for " + a + ")"));
        Run inside = run("", cat.toString(), "--dir", a.toString(), "--dir", b + ":/b");
        assertEquals(200, inside.status());
        assertTrue(inside.stderr(), inside.stderr().contains("--dir " + b + ":/b: the guest paths /b and / (of " + a
                + ") overlap; give each directory its own guest path, none inside another"));
        Run hostInside = run("", cat.toString(), "--dir", a + ":/a", "--dir", a.resolve("sub") + ":/s");
        assertEquals(200, hostInside.status());
        assertTrue(hostInside.stderr(), hostInside.stderr().contains(a.resolve("sub") + " and " + a
                + " overlap on the host"));
        Run notPlain = run("", cat.toString(), "--dir", a + ":/a/../b");
        assertEquals(200, notPlain.status());
        assertTrue(notPlain.stderr(), notPlain.stderr().contains("the guest path must be absolute and plain"));
    }

    private static String clang() {
        return Files.isExecutable(Path.of("/usr/bin/clang-14")) ? "/usr/bin/clang-14" : "clang";
    }

    private static List<String> strings(String nulTerminated) {
        List<String> strings = new ArrayList<>();
        for (String s : nulTerminated.split("\0", -1)) {
            strings.add(s);
        }
        if (!strings.isEmpty() && strings.get(strings.size() - 1).isEmpty()) {
            strings.remove(strings.size() - 1);
        }
        return strings;
    }
}
