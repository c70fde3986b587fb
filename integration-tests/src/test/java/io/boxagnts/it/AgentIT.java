package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Iterator;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Full agent turns over the HTTP API, as curl or the UI would drive them: the runtime from bin/boxagnts, the real
 * tools in the sandbox, and a scripted OpenAI-compatible model server replaying the wire format.
 */
public class AgentIT {

    private static ScriptedModelServer model;
    private static ScriptedAnthropicServer anthropic;
    private static TestRuntime runtime;
    private static BoxagntsProcess boxagnts;
    private static Path workspace;

    @BeforeClass
    public static void start() throws Exception {
        model = new ScriptedModelServer();
        anthropic = new ScriptedAnthropicServer();
        runtime = TestRuntime.prepare("boxagnts-agent-it");
        workspace = runtime.workspace();
        // A user-configured provider, as a user would add one: an entry in <data dir>/providers.json.
        Files.writeString(runtime.data().resolve("providers.json"), "[{\"type\":\"anthropic\",\"id\":\"claude-test\","
                + "\"baseUrl\":\"" + anthropic.baseUrl() + "\",\"apiKey\":\"sk-ant-test\"}]");
        boxagnts = runtime.start("--model-url", model.baseUrl()).process();
        Await.until("the scripted model server is discovered",
                () -> boxagnts.stderr().stream().anyMatch(l -> l.contains("Local model servers: [configured")));
    }

    @AfterClass
    public static void stop() {
        if (runtime != null) {
            runtime.close();
        }
        if (model != null) {
            model.close();
        }
        if (anthropic != null) {
            anthropic.close();
        }
    }

    private static String url(String path) {
        return runtime.url(path);
    }

    private static String newSession(String title) throws Exception {
        Http.Response created = Http.post(url("/api/sessions"), "{\"title\":\"" + title + "\"}");
        assertEquals(created.body(), 201, created.status());
        return JsonParser.parseString(created.body()).getAsJsonObject().get("id").getAsString();
    }

    /** Posts a message and reads the turn's SSE stream to its end, answering each approval request with {@code approve}. */
    private static List<JsonObject> turn(String session, String text, String mode, boolean approve) throws Exception {
        return turn(session, "{\"text\":\"" + text + "\",\"mode\":\"" + mode + "\"}", approve);
    }

    private static List<JsonObject> turn(String session, String body, boolean approve) throws Exception {
        HttpRequest request = Http.request(url("/api/sessions/" + session + "/messages"))
                .timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<java.util.stream.Stream<String>> response = HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        List<JsonObject> events = new ArrayList<>();
        Iterator<String> lines = response.body().iterator();
        while (lines.hasNext()) {
            String line = lines.next();
            if (!line.startsWith("data: ")) {
                continue;
            }
            JsonObject event = JsonParser.parseString(line.substring(6)).getAsJsonObject();
            events.add(event);
            if (event.get("type").getAsString().equals("ApprovalRequested")) {
                Http.Response answer = Http.post(url("/api/sessions/" + session + "/approvals/"
                        + event.get("callId").getAsString()), "{\"approved\":" + approve + "}");
                assertEquals(answer.body(), 200, answer.status());
            }
        }
        return events;
    }

    private static String text(List<JsonObject> events) {
        StringBuilder text = new StringBuilder();
        events.stream().filter(e -> e.get("type").getAsString().equals("TextDelta"))
                .forEach(e -> text.append(e.get("text").getAsString()));
        return text.toString();
    }

    private static List<String> types(List<JsonObject> events) {
        return events.stream().map(e -> e.get("type").getAsString()).toList();
    }

    @Test
    public void findTheTodosAndFixTheTypoWhenTheEditIsApproved() throws Exception {
        Files.writeString(workspace.resolve("README.md"), "# Demo\nTODO: fix the tpyo\n");
        model.thenToolCall("call_1", "grep", "{\"pattern\":\"TODO\"}")
                .thenToolCall("call_2", "edit_file", "{\"path\":\"README.md\",\"old_string\":\"tpyo\",\"new_string\":\"typo\"}")
                .thenText("Fixed the typo in README.md.");
        String session = newSession("typo");
        List<JsonObject> events = turn(session, "find the TODOs and fix the typo in README", "ask", true);
        assertEquals(types(events).toString(), "TurnFinished", types(events).get(types(events).size() - 1));
        assertEquals(events.toString(), "COMPLETED", events.get(events.size() - 1).get("reason").getAsString());
        assertTrue(types(events).toString(), types(events).containsAll(List.of("UserMessage", "ToolCallStarted",
                "ToolCallFinished", "ApprovalRequested", "ApprovalDecided", "TextDelta")));
        assertEquals("# Demo\nTODO: fix the typo\n", Files.readString(workspace.resolve("README.md")));
        assertTrue("the grep result went back to the model",
                model.requests().stream().anyMatch(r -> r.contains("\"role\":\"tool\"") && r.contains("TODO: fix the tpyo")));

        // The log holds what the stream showed, with each step's text deltas coalesced into one.
        JsonObject stored = JsonParser.parseString(Http.get(url("/api/sessions/" + session)).body()).getAsJsonObject();
        List<JsonObject> log = stored.getAsJsonArray("events").asList().stream().map(e -> e.getAsJsonObject()).toList();
        assertEquals(types(events).stream().filter(t -> !t.equals("TextDelta")).toList(),
                types(log).stream().filter(t -> !t.equals("TextDelta")).toList());
        assertEquals(text(events), text(log));

        Http.Response markdown = Http.get(url("/api/sessions/" + session + "/export?format=md"));
        assertEquals(200, markdown.status());
        assertTrue(markdown.body(), markdown.body().contains("## You") && markdown.body().contains("tool `edit_file`")
                && markdown.body().contains("approved by user"));
        assertEquals(200, Http.get(url("/api/sessions/" + session + "/export?format=json")).status());

        // The turn's tool calls ran on the sandbox's platform threads, and the engine logs through the log bridge:
        // no "polyglot contexts on Java virtual threads" warning, no banner on how to redirect the engine's log.
        List<String> console = new java.util.ArrayList<>(boxagnts.stderr());
        console.addAll(boxagnts.stdout());
        assertTrue(console.toString(), console.stream().noneMatch(line -> line.contains("virtual threads")
                || line.contains("Truffle log output") || line.contains("[engine]")));
    }

    @Test
    public void anAnthropicProviderFromProvidersJsonDrivesAFullTurn() throws Exception {
        Files.writeString(workspace.resolve("PLAN.md"), "1. ship the agent\n");
        anthropic.thenToolUse("toolu_1", "read_file", "{\"path\":\"PLAN.md\"}").thenText("The plan is to ship the agent.");
        String session = newSession("claude");
        Await.until("the Anthropic provider is configured", () -> Http.get(url("/api/providers")).body().contains("claude-test"));
        List<JsonObject> events = turn(session, "{\"text\":\"what is the plan?\",\"provider\":\"claude-test\","
                + "\"model\":\"claude-test-model\",\"mode\":\"plan\"}", false);
        assertEquals(events.toString(), "COMPLETED", events.get(events.size() - 1).get("reason").getAsString());
        JsonObject read = events.stream().filter(e -> e.get("type").getAsString().equals("ToolCallFinished"))
                .findFirst().orElseThrow();
        assertTrue(read.toString(), read.get("output").getAsString().contains("ship the agent"));
        String second = anthropic.requests().get(1);
        assertTrue(second, second.contains("\"tool_result\"") && second.contains("toolu_1"));
    }

    @Test
    public void theProvidersSayWhatWasFound() throws Exception {
        String providers = Http.get(url("/api/providers")).body();
        assertTrue(providers, providers.contains("\"configured\"") && providers.contains("scripted-model")
                && providers.contains("ollama") && providers.contains("ollama serve"));
    }

    @Test
    public void aDeniedEditLeavesTheFileUntouched() throws Exception {
        Files.writeString(workspace.resolve("NOTES.md"), "keep me\n");
        model.thenToolCall("call_9", "edit_file", "{\"path\":\"NOTES.md\",\"old_string\":\"keep\",\"new_string\":\"lose\"}")
                .thenText("Understood, I left it.");
        String session = newSession("denied");
        List<JsonObject> events = turn(session, "rewrite the notes", "ask", false);
        model.thenToolCall("call_10", "write_file", "{\"path\":\"NOTES.md\",\"content\":\"gone\"}").thenText("Blocked.");
        List<JsonObject> denyRule = turn(session, "{\"text\":\"overwrite them\",\"mode\":\"auto-edit\",\"deny\":[\"write_file\"]}", true);
        assertTrue(denyRule.toString(), denyRule.stream().noneMatch(e -> e.get("type").getAsString().equals("ApprovalRequested")));
        assertEquals("COMPLETED", events.get(events.size() - 1).get("reason").getAsString());
        JsonObject finished = events.stream().filter(e -> e.get("type").getAsString().equals("ToolCallFinished"))
                .findFirst().orElseThrow();
        assertEquals("PERMISSION_DENIED", finished.getAsJsonObject("error").get("kind").getAsString());
        assertEquals("keep me\n", Files.readString(workspace.resolve("NOTES.md")));
    }

    @Test
    public void aTurnRunsTheShellAndItsOutputGoesBackToTheModel() throws Exception {
        Files.createDirectories(workspace.resolve("src"));
        Files.writeString(workspace.resolve("src/a.rs"), "fn main() {}\n// TODO: tidy\n");
        Files.writeString(workspace.resolve("src/b.rs"), "// TODO: test\n");
        model.thenToolCall("call_sh", "shell", "{\"command\":\"grep -rn TODO src | sort; echo checked >&2; exit 3\"}")
                .thenText("Two TODOs: src/a.rs line 2 and src/b.rs line 1.");
        String session = newSession("shell");
        List<JsonObject> events = turn(session, "list the TODOs in src", "auto-edit", false);
        assertEquals(events.toString(), "COMPLETED", events.get(events.size() - 1).get("reason").getAsString());
        JsonObject finished = events.stream().filter(e -> e.get("type").getAsString().equals("ToolCallFinished"))
                .findFirst().orElseThrow();
        JsonObject result = JsonParser.parseString(finished.get("output").getAsString()).getAsJsonObject();
        assertEquals(result.toString(), "src/a.rs:2:// TODO: tidy\nsrc/b.rs:1:// TODO: test\n",
                result.get("stdout").getAsString());
        assertEquals("checked\n", result.get("stderr").getAsString());
        assertEquals(3, result.get("exit_code").getAsInt());
        assertFalse(result.get("truncated").getAsBoolean());

        // The shell's result went back to the model as the call's tool message, and the model was told what the
        // sandbox's shell can and cannot run.
        String second = model.requests().stream().filter(r -> r.contains("\"tool_call_id\":\"call_sh\""))
                .findFirst().orElseThrow();
        JsonObject request = JsonParser.parseString(second).getAsJsonObject();
        List<JsonObject> messages = request.getAsJsonArray("messages").asList().stream().map(m -> m.getAsJsonObject())
                .toList();
        JsonObject tool = messages.stream().filter(m -> m.get("role").getAsString().equals("tool")).findFirst()
                .orElseThrow();
        assertTrue(tool.toString(), tool.get("content").getAsString().contains("src/a.rs:2:// TODO: tidy"));
        String system = messages.get(0).get("content").getAsString();
        assertTrue(system, system.contains("no processes, no network.") && system.contains("shell is a built-in POSIX "
                + "sh") && system.contains("git, python, node, npm, cargo, make, curl and every other program are "
                + "not available") && system.contains("js is Duktape, ECMAScript 5.1"));
        assertTrue("a text answer after the tool's result", text(events).contains("Two TODOs"));
    }

    /** The tools the model was offered in the last chat request, by name. */
    private static List<String> offeredTools() {
        List<String> requests = model.requests();
        JsonObject last = JsonParser.parseString(requests.get(requests.size() - 1)).getAsJsonObject();
        return last.getAsJsonArray("tools").asList().stream().map(t -> t.getAsJsonObject()
                .getAsJsonObject("function").get("name").getAsString()).toList();
    }

    /** Runs turns (each answered by the scripted model) until the model is offered web_fetch, or no longer. */
    private static void awaitWebFetchOffered(String session, boolean offered) throws Exception {
        Await.until("web_fetch is " + (offered ? "" : "no longer ") + "offered", () -> {
            model.thenText("Noted.");
            turn(session, "what changed in the docs?", "plan", false);
            return offeredTools().contains("web_fetch") == offered;
        });
    }

    @Test
    public void webFetchIsOfferedToTheModelOnlyWhileAnAdministratorAllowsAHost() throws Exception {
        String session = newSession("web");
        model.thenText("I cannot reach the web.");
        turn(session, "what changed in the docs?", "plan", false);
        List<String> off = offeredTools();
        assertTrue(off.toString(), off.containsAll(List.of("read_file", "grep", "list_dir")));
        assertFalse("off by default: a local model would waste turns on refused fetches", off.contains("web_fetch"));

        // An administrator allows a host (a file in conf/, as with the console or ConfigAdmin): offered from then on.
        Path policy = runtime.conf("io.boxagnts.webfetch.cfg", "enabled=true\nallowedHosts=docs.python.org\n");
        awaitWebFetchOffered(session, true);
        Files.delete(policy);
        awaitWebFetchOffered(session, false);
    }

    @Test
    public void badRequestsGetClearErrors() throws Exception {
        assertEquals(404, Http.post(url("/api/sessions/20260101-000000-00000000/messages"), "{\"text\":\"hi\"}").status());
        String session = newSession("bad");
        assertEquals(400, Http.post(url("/api/sessions/" + session + "/messages"), "{}").status());
        assertEquals(400, Http.post(url("/api/sessions/" + session + "/messages"), "{\"text\":\"x\",\"mode\":\"yolo\"}").status());
        assertEquals(400, Http.post(url("/api/sessions/../etc/messages"), "{\"text\":\"x\"}").status() / 100 * 100);
        assertEquals(404, Http.post(url("/api/sessions/" + session + "/approvals/nope"), "{\"approved\":true}").status());
    }
}
