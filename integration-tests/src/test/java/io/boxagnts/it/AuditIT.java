package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The audit log of a runtime started with bin/boxagnts: tool calls over the API and a bundle dropped into plugins/
 * are recorded, {@code GET /api/audit} filters them, and {@code bin/boxagnts audit verify} finds an edited line.
 */
public class AuditIT {

    private static TestRuntime runtime;

    @BeforeClass
    public static void start() throws Exception {
        runtime = TestRuntime.prepare("boxagnts-audit-it");
        Files.writeString(runtime.workspace().resolve("notes.txt"), "secret plans " + "x".repeat(1000) + " THE-END\n");
        runtime.start();
    }

    @AfterClass
    public static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    public void toolCallsAreRecordedWithWhoAskedAndTheOutcome() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        String content = "{\"path\":\"out.txt\",\"content\":\"" + "y".repeat(600) + "TAIL-OF-CONTENT\"}";
        assertEquals(200, Http.post(runtime.url("/api/tools/write_file/invoke"), content).status());
        assertEquals(200, Http.post(runtime.url("/api/tools/read_file/invoke"), "{\"path\":\"notes.txt\"}").status());
        Http.Response missing = Http.post(runtime.url("/api/tools/read_file/invoke"), "{\"path\":\"no/such/file\"}");
        String kind = JsonParser.parseString(missing.body()).getAsJsonObject().getAsJsonObject("error").get("kind")
                .getAsString();

        JsonArray writes = records("/api/audit?tool=write_file&since=" + before);
        assertEquals(writes.toString(), 1, writes.size());
        JsonObject write = writes.get(0).getAsJsonObject();
        assertEquals("tool_call", write.get("type").getAsString());
        assertTrue(write.get("caller").getAsString().startsWith("api "));
        assertEquals("token holder", write.get("approvedBy").getAsString());
        assertEquals("ok", write.get("outcome").getAsString());
        assertEquals("io.boxagnts.tool.write_file", write.get("bundle").getAsString());
        assertEquals(64, write.get("argsSha256").getAsString().length());
        assertTrue(write.get("inputBytes").getAsLong() > 600);

        JsonArray reads = records("/api/audit?tool=read_file&since=" + before);
        assertEquals(2, reads.size());
        assertEquals("ok", reads.get(0).getAsJsonObject().get("outcome").getAsString());
        assertTrue(reads.get(0).getAsJsonObject().get("outputBytes").getAsLong() > 1000);
        assertEquals(kind, reads.get(1).getAsJsonObject().get("outcome").getAsString());
        assertTrue(reads.get(1).getAsJsonObject().get("error").getAsString().length() > 0);
        assertEquals(1, records("/api/audit?tool=read_file&limit=1").size());

        String log = String.join("\n", auditLines());
        assertFalse("file contents stay out of the log", log.contains("THE-END") || log.contains("TAIL-OF-CONTENT"));
        assertFalse("the access token stays out of the log", log.contains(Http.token(runtime.port())));
        assertEquals(400, Http.get(runtime.url("/api/audit?since=yesterday")).status());
        assertEquals(400, Http.get(runtime.url("/api/audit?limit=100000")).status());
    }

    @Test
    public void aBundleDroppedIntoPluginsIsRecorded() throws Exception {
        Path plugins = runtime.root().resolve("plugins");
        TestBundles.drop(TestBundles.hello(), plugins, "hello.jar");
        Path dropped = plugins.resolve("hello.jar");
        Await.until("the install is recorded", () -> records("/api/audit?type=admin").toString()
                .contains("\"action\":\"install\""));
        Files.delete(dropped);
        Await.until("the uninstall is recorded", () -> records("/api/audit?type=admin").toString()
                .contains("\"action\":\"uninstall\""));
        JsonObject install = find(records("/api/audit?type=admin"), "install");
        assertEquals("plugins folder", install.get("actor").getAsString());
    }

    @Test
    public void verifyPassesOnTheLogAndNamesAnEditedLine() throws Exception {
        Http.post(runtime.url("/api/tools/list_dir/invoke"), "{\"path\":\".\"}");
        Http.post(runtime.url("/api/tools/list_dir/invoke"), "{\"path\":\".\"}");
        Path dir = runtime.data().resolve("audit");
        BoxagntsProcess intact = BoxagntsProcess.start("audit", "verify", dir.toString());
        assertEquals(intact.stdout() + " " + intact.stderr(), 0, intact.exitCode());
        assertTrue(intact.stdout().toString(), intact.stdout().get(0).startsWith("intact: "));

        Path copy = Files.createDirectories(runtime.root().resolve("audit-copy"));
        Path file;
        try (Stream<Path> files = Files.list(dir)) {
            file = files.sorted().reduce((a, b) -> b).orElseThrow();
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        int edited = lines.size() - 1; // the second last record: the last one's prev shows it too
        lines.set(edited - 1, lines.get(edited - 1).replaceFirst("\"durationMs\":\\d+", "\"durationMs\":1"));
        Path tampered = copy.resolve(file.getFileName());
        Files.write(tampered, lines);
        BoxagntsProcess broken = BoxagntsProcess.start("audit", "verify", tampered.toString());
        assertEquals(1, broken.exitCode());
        assertTrue(broken.stdout().toString(), broken.stdout().get(0).contains(
                file.getFileName() + " line " + edited + " "));
        assertTrue(broken.stdout().toString(), broken.stdout().get(0).contains("edited"));
    }

    private static JsonObject find(JsonArray records, String action) {
        for (JsonElement record : records) {
            if (action.equals(record.getAsJsonObject().get("action").getAsString())) {
                return record.getAsJsonObject();
            }
        }
        throw new AssertionError("no " + action + " in " + records);
    }

    private static JsonArray records(String path) throws Exception {
        Http.Response response = Http.get(runtime.url(path));
        assertEquals(response.body(), 200, response.status());
        return JsonParser.parseString(response.body()).getAsJsonObject().getAsJsonArray("records");
    }

    private static List<String> auditLines() throws Exception {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(runtime.data().resolve("audit"))) {
            for (Path file : files.sorted().toList()) {
                lines.addAll(Files.readAllLines(file));
            }
        }
        return lines;
    }
}
