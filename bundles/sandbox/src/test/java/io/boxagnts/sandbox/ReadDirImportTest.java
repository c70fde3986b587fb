package io.boxagnts.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import io.boxagnts.api.tool.ToolGrant;
import io.boxagnts.api.tool.ToolLimits;
import io.boxagnts.api.tool.ToolPermissions;
import io.boxagnts.api.tool.ToolRequest;
import io.boxagnts.api.tool.ToolSpec;
import io.boxagnts.api.tool.WorkspaceAccess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.graalvm.polyglot.Engine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code boxagnts.read_dir} as a tool module sees it: a real module (src/test/wat/readdir.wat) calls the import in
 * real GraalWasm, through every path that runs a tool (a call, a warm-up run, {@code tool run}'s), on a real
 * directory; what it got back is decoded here and compared with what is on disk.
 */
class ReadDirImportTest {

    private static final ToolLimits LIMITS = new ToolLimits(Duration.ofSeconds(20), 64 << 20, 256 << 10);
    /** Where readdir.wat puts the decoded request's path, and a buffer for the answer. */
    private static final int PATH_AT = 2064;
    private static final int OUT_AT = 65536;
    private static final int MEMORY = 4 * 65536;

    private static Engine engine;
    private static ScheduledExecutorService watchdog;

    @TempDir
    Path workspace;
    @TempDir
    Path outside;
    private WorkspaceRoot root;

    /** One entry as the ABI writes it. */
    record Entry(int type, long size, String name) {}

    /** What the module printed: the results of its one or two calls, and the bytes written. */
    record Answer(List<Integer> results, byte[] bytes) {

        int result() {
            return results.get(results.size() - 1);
        }

        List<Entry> entries() {
            ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            List<Entry> entries = new ArrayList<>();
            while (in.hasRemaining()) {
                int type = in.get();
                long size = in.getLong();
                byte[] name = new byte[Short.toUnsignedInt(in.getShort())];
                in.get(name);
                entries.add(new Entry(type, size, new String(name, StandardCharsets.UTF_8)));
            }
            entries.sort(Comparator.comparing(Entry::name));
            return entries;
        }
    }

    @BeforeAll
    static void startEngine() {
        engine = Engine.newBuilder("wasm").option("engine.WarnInterpreterOnly", "false").build();
        watchdog = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stopEngine() {
        watchdog.shutdownNow();
        engine.close();
    }

    /**
     * The workspace: two files, a directory with a nested one, a link to a directory
     * outside the workspace and a link to a file inside it.
     */
    @BeforeEach
    void makeWorkspace() throws IOException {
        Files.write(workspace.resolve("a.rs"), new byte[1234]);
        Files.writeString(workspace.resolve("b.md"), "hello");
        Files.createDirectories(workspace.resolve("sub/deeper"));
        Files.writeString(workspace.resolve("sub/deeper/x.txt"), "0123456789");
        Files.writeString(outside.resolve("secret.txt"), "not for tools");
        Files.createSymbolicLink(workspace.resolve("out"), outside);
        Files.createSymbolicLink(workspace.resolve("alias.rs"), Path.of("a.rs"));
        root = WorkspaceRoot.open(workspace, false);
    }

    @AfterEach
    void closeWorkspace() {
        root.close();
    }

    private WasmTool tool(String module, ToolPermissions permissions, boolean webFetch) throws IOException {
        SandboxRuntime runtime = new SandboxRuntime(CompletableFuture.completedFuture(engine), root, new ToolThreads(2),
                watchdog, WasmToolTest.CAPS);
        return new WasmTool(new ToolSpec(module, "", null, permissions, LIMITS, "1"), WasmToolTest.module(module),
                runtime, webFetch);
    }

    private WasmTool readdir(ToolPermissions permissions) throws IOException {
        return tool("readdir", permissions, false);
    }

    /** The module's input: read_dir(pathAt, pathLength, outAt, capacity), the path's bytes following at 2064. */
    private static String input(int outAt, int capacity, int pathAt, int pathLength, byte[] path) {
        ByteBuffer request = ByteBuffer.allocate(16 + path.length).order(ByteOrder.LITTLE_ENDIAN);
        request.putInt(outAt).putInt(capacity).putInt(pathAt).putInt(pathLength).put(path);
        return "{\"p\":\"" + HexFormat.of().formatHex(request.array()) + "\"}";
    }

    private static String input(String path, int capacity) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        return input(OUT_AT, capacity, PATH_AT, bytes.length, bytes);
    }

    private static Answer answer(String output) {
        byte[] raw = HexFormat.of().parseHex(JsonParser.parseString(output).getAsJsonObject().get("r").getAsString());
        ByteBuffer in = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        List<Integer> results = new ArrayList<>(List.of(in.getInt()));
        if (results.get(0) < -6) {
            results.add(in.getInt());
        }
        byte[] bytes = new byte[in.remaining()];
        in.get(bytes);
        return new Answer(results, bytes);
    }

    /** A tool call of readdir.wat, with the grant it declares. */
    private Answer call(WasmTool tool, String input) throws Exception {
        return answer(tool.invoke(new ToolRequest("t", input)).output());
    }

    private Answer call(String path, int capacity) throws Exception {
        return call(readdir(ToolPermissions.READ), input(path, capacity));
    }

    private int result(String path) throws Exception {
        return call(path, 60000).result();
    }

    private int result(byte[] path) throws Exception {
        return call(readdir(ToolPermissions.READ), input(OUT_AT, 60000, PATH_AT, path.length, path)).result();
    }

    private static final List<Entry> ROOT = List.of(new Entry(1, 1234, "a.rs"), new Entry(3, 0, "alias.rs"),
            new Entry(1, 5, "b.md"), new Entry(3, 0, "out"), new Entry(2, 0, "sub"));

    /** Every entry's bytes: 11 before each name, the name in UTF-8. */
    private static int size(List<Entry> entries) {
        return entries.stream().mapToInt(e -> 11 + e.name().getBytes(StandardCharsets.UTF_8).length).sum();
    }

    @Test
    void theRootIsListedWithTypesAndSizesAndLinksAreNotFollowed() throws Exception {
        Answer root = call("", 60000);
        assertEquals(List.of(size(ROOT)), root.results());
        assertEquals(size(ROOT), root.bytes().length);
        assertEquals(ROOT, root.entries());
    }

    @Test
    void aNestedDirectoryIsListed() throws Exception {
        assertEquals(List.of(new Entry(2, 0, "deeper")), call("sub", 60000).entries());
        Answer deeper = call("sub/deeper", 60000);
        assertEquals(List.of(16), deeper.results());
        assertEquals(List.of(new Entry(1, 10, "x.txt")), deeper.entries());
        Files.createDirectory(workspace.resolve("empty"));
        Answer empty = call("empty", 60000);
        assertEquals(List.of(0), empty.results());
        assertEquals(0, empty.bytes().length);
    }

    /** Names are UTF-8 ("Ü" takes two bytes); only where the JVM names files in UTF-8 (a UTF-8 locale). */
    @Test
    void aNameOutsideAsciiIsWrittenInUtf8() throws Exception {
        Assumptions.assumeTrue("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding")),
                "the JVM names files in " + System.getProperty("sun.jnu.encoding"));
        Files.writeString(workspace.resolve("sub/Übersicht.md"), "hallo!");
        Answer sub = call("sub", 60000);
        assertEquals(List.of(11 + 6 + 11 + 13), sub.results());
        assertEquals(List.of(new Entry(2, 0, "deeper"), new Entry(1, 6, "Übersicht.md")), sub.entries());
        assertEquals(List.of(new Entry(1, 10, "x.txt")), call("sub/deeper", 60000).entries());
    }

    @Test
    void pathsNotInTheNormalFormAreInvalid() throws Exception {
        for (String path : List.of("..", ".", "/", "/sub", "sub/", "sub//deeper", "./sub", "sub/.", "sub/..",
                "sub/../sub", "sub\0", "su\0b/deeper")) {
            assertEquals(ReadDirImport.INVALID, result(path), path);
        }
        assertEquals(ReadDirImport.INVALID, result(new byte[] {'s', 'u', (byte) 0xff}), "not UTF-8");
        assertEquals(ReadDirImport.INVALID, result(new byte[] {(byte) 0xc3}), "a truncated UTF-8 sequence");
    }

    @Test
    void aPathThroughOrToALinkIsDeniedAndNotedAsTheCallsDenial() throws Exception {
        assertEquals(ReadDirImport.DENIED, result("out"));
        assertEquals(ReadDirImport.DENIED, result("out/anything"));
        ModuleRun.Outcome outcome = readdir(ToolPermissions.READ).runModule(new ToolRequest("t", "{}"),
                input("out", 60000).getBytes(StandardCharsets.UTF_8), ModuleRun.Guest.tool(WorkspaceAccess.READ, root));
        assertEquals(List.of(ReadDirImport.DENIED), answer(outcome.stdout()).results());
        assertTrue(outcome.denial().orElseThrow().contains("/out through a symbolic link"),
                outcome.denial().toString());
    }

    @Test
    void aMissingDirectoryIsNotFoundAndAFileIsNotADirectory() throws Exception {
        assertEquals(ReadDirImport.NOT_FOUND, result("missing"));
        assertEquals(ReadDirImport.NOT_FOUND, result("sub/missing/more"));
        assertEquals(ReadDirImport.NOT_DIRECTORY, result("a.rs"));
        assertEquals(ReadDirImport.NOT_DIRECTORY, result("sub/deeper/x.txt"));
        assertEquals(ReadDirImport.DENIED, result("alias.rs"), "a link to a file is a link, not a directory");
    }

    /** Where the kernel lacks openat2, paths are resolved one component at a time: the same answers. */
    @Test
    void theSameAnswersWithoutOpenat2() throws Exception {
        root.close();
        root = WorkspaceRoot.open(workspace, false, WorkspaceRoot.Mechanism.OPENAT_PER_COMPONENT);
        assertEquals(ROOT, call("", 60000).entries());
        assertEquals(List.of(new Entry(1, 10, "x.txt")), call("sub/deeper", 60000).entries());
        assertEquals(ReadDirImport.DENIED, result("out"));
        assertEquals(ReadDirImport.DENIED, result("out/anything"));
        assertEquals(ReadDirImport.DENIED, result("alias.rs"));
        assertEquals(ReadDirImport.NOT_FOUND, result("sub/missing/more"));
        assertEquals(ReadDirImport.NOT_DIRECTORY, result("sub/deeper/x.txt"));
    }

    @Test
    void anAnswerThatDoesNotFitSaysHowMuchItNeedsThenFitsInThat() throws Exception {
        for (int capacity : new int[] {0, 12, size(ROOT) - 1}) {
            Answer answer = call("", capacity);
            assertEquals(List.of(-size(ROOT), size(ROOT)), answer.results(), "capacity " + capacity);
            assertEquals(ROOT, answer.entries());
        }
        assertEquals(List.of(size(ROOT)), call("", size(ROOT)).results(), "exactly large enough");
    }

    @Test
    void pointersAndLengthsOutsideTheMemoryAreInvalid() throws Exception {
        WasmTool tool = readdir(ToolPermissions.READ);
        byte[] sub = "sub".getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of(ReadDirImport.INVALID), call(tool, input(OUT_AT, 100, 0xfffffff0, 3, sub)).results());
        assertEquals(List.of(ReadDirImport.INVALID), call(tool, input(OUT_AT, 100, MEMORY - 2, 3, sub)).results());
        assertEquals(List.of(ReadDirImport.INVALID), call(tool, input(OUT_AT, 100, PATH_AT, 0x7fffffff, sub))
                .results());
        assertEquals(List.of(ReadDirImport.INVALID), call(tool, input(OUT_AT, 100, PATH_AT, -1, sub)).results());
        assertEquals(List.of(ReadDirImport.INVALID), call(tool, input(MEMORY - 50, 100, PATH_AT, 3, sub)).results());
        assertEquals(List.of(ReadDirImport.INVALID), call(tool, input(0xffffff00, 0x200, PATH_AT, 3, sub)).results());
        assertEquals(List.of(ReadDirImport.INVALID), call(tool, input(OUT_AT, -1, PATH_AT, 3, sub)).results());
        // at the very end of the memory, it fits
        assertEquals(List.of(16), call(tool, input(MEMORY - 16, 16, PATH_AT, 10,
                "sub/deeper".getBytes(StandardCharsets.UTF_8))).results());
    }

    @Test
    void aCallWithoutWorkspaceAccessIsDeniedAndAWriteGrantMayList() throws Exception {
        assertEquals(List.of(ReadDirImport.DENIED), call(readdir(ToolPermissions.NONE), input("", 60000)).results());
        WasmTool writer = readdir(ToolPermissions.WRITE);
        assertEquals(ROOT, call(writer, input("", 60000)).entries());
        ToolRequest narrowed = new ToolRequest("t", input("", 60000)).withGrant(new ToolGrant(ToolPermissions.NONE,
                LIMITS));
        assertEquals(List.of(ReadDirImport.DENIED), answer(writer.invoke(narrowed).output()).results(),
                "the call's grant decides, not the descriptor");
    }

    @Test
    void aWarmUpRunListsItsScratchWorkspace() throws Exception {
        Path scratch = Files.createDirectory(outside.resolve("scratch"));
        Files.writeString(scratch.resolve("lib.rs"), "fn main() {}\n");
        try (WorkspaceRoot scratchRoot = WorkspaceRoot.open(scratch, false)) {
            Answer answer = answer(readdir(ToolPermissions.READ).warm(input("", 60000), scratchRoot).output());
            assertEquals(List.of(new Entry(1, 13, "lib.rs")), answer.entries());
        }
    }

    /** {@code boxagnts tool run}: one directory at "/" is the workspace; any other set of directories gets -6. */
    @Test
    void toolRunListsOneDirectoryAtTheRootAndLeavesOtherLayoutsToWasi() throws Exception {
        WasmTool tool = readdir(ToolPermissions.READ);
        byte[] stdin = input("", 60000).getBytes(StandardCharsets.UTF_8);
        ToolRequest request = new ToolRequest("tool-run", "{}");
        ModuleRun.Outcome atRoot = tool.runModule(request, stdin, new ModuleRun.Guest(List.of(), Map.of(),
                List.of(new ModuleRun.Mount("/", root))));
        assertEquals(ROOT, answer(atRoot.stdout()).entries());
        ModuleRun.Outcome elsewhere = tool.runModule(request, stdin, new ModuleRun.Guest(List.of(), Map.of(),
                List.of(new ModuleRun.Mount("/data", root))));
        assertEquals(List.of(ReadDirImport.UNSUPPORTED), answer(elsewhere.stdout()).results());
        try (WorkspaceRoot other = WorkspaceRoot.open(outside, false)) {
            ModuleRun.Outcome two = tool.runModule(request, stdin, new ModuleRun.Guest(List.of(), Map.of(),
                    List.of(new ModuleRun.Mount("/", root), new ModuleRun.Mount("/other", other))));
            assertEquals(List.of(ReadDirImport.UNSUPPORTED), answer(two.stdout()).results());
        }
    }

    @Test
    void aModuleImportingBothHostFunctionsGetsBoth() throws Exception {
        ModuleRun.Outcome outcome = tool("readdir_fetch", ToolPermissions.READ, true).runModule(
                new ToolRequest("t", "{}"), new byte[0], ModuleRun.Guest.tool(WorkspaceAccess.READ, root));
        assertEquals(size(ROOT), outcome.exitCode(), "read_dir's size, after web_fetch's -1");
    }

    @Test
    void theExtenderAcceptsReadDirForAnyToolAndRefusesOtherImports() throws Exception {
        ToolExtender.checkImports(descriptor("readdir", ""), WasmToolTest.module("readdir"));
        ToolExtender.checkImports(descriptor("readdir_fetch", ",\"permissions\":{\"network\":\"fetch\"}"),
                WasmToolTest.module("readdir_fetch"));
        IllegalArgumentException fetch = assertThrows(IllegalArgumentException.class, () -> ToolExtender
                .checkImports(descriptor("readdir_fetch", ""), WasmToolTest.module("readdir_fetch")));
        assertTrue(fetch.getMessage().contains("imports boxagnts.web_fetch but the descriptor does not declare"),
                fetch.getMessage());
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> ToolExtender
                .checkImports(descriptor("otherimport", ""), WasmToolTest.module("otherimport")));
        assertEquals("module otherimport.wasm imports boxagnts.read_file, which the sandbox does not provide (only "
                + "wasi_snapshot_preview1, boxagnts.read_dir and boxagnts.web_fetch)", other.getMessage());
    }

    private static ToolDescriptor descriptor(String name, String more) {
        return ToolDescriptor.parse("{\"name\":\"" + name + "\",\"description\":\"d\",\"inputSchema\":{\"type\":"
                + "\"object\"}" + more + "}", "1.0.0", ToolRun.CAPS);
    }

    @Test
    void aPathIsCheckedAsTheAbiSays() {
        assertEquals("", ReadDirImport.path(new byte[0]));
        assertEquals("a/b c/d.e", ReadDirImport.path("a/b c/d.e".getBytes(StandardCharsets.UTF_8)));
        assertEquals("...", ReadDirImport.path("...".getBytes(StandardCharsets.UTF_8)), "a name, not a dot");
        assertEquals(".git/..x", ReadDirImport.path(".git/..x".getBytes(StandardCharsets.UTF_8)));
        ByteArrayOutputStream nul = new ByteArrayOutputStream();
        nul.writeBytes("a".getBytes(StandardCharsets.UTF_8));
        nul.write(0);
        assertEquals(null, ReadDirImport.path(nul.toByteArray()));
        assertEquals(null, ReadDirImport.path("a/../b".getBytes(StandardCharsets.UTF_8)));
    }
}
