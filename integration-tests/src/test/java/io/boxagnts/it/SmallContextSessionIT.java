package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * A long session on a small local model, over the HTTP API: the runtime from bin/boxagnts with the shipped tools and a
 * scripted llama-server with a 4,096-token context (llama.cpp's wire, its limits and its overflow error). Every turn
 * has the model call a real tool whose output alone is larger than the whole context (a 40 KB file, a 400-file
 * listing, a 2,000-line grep), and every fifth message is a pasted 12 KB log. Every turn must complete and the server
 * must never have to refuse a request. A second server with a 32,768-token context receives the full tool
 * definitions, so the fixed cost of a request (system prompt + tool definitions) is measured both ways on the real
 * tools. The figures go to the test output and target/small-context-report.md; {@code boxagnts.small.turns} sets the
 * number of turns (default 20; benchmarks/small-context.sh).
 */
public class SmallContextSessionIT {

    private static final int TURNS = Integer.getInteger("boxagnts.small.turns", 20);

    private static ScriptedLlamaServer small;
    private static ScriptedLlamaServer roomy;
    private static TestRuntime runtime;

    @BeforeClass
    public static void start() throws Exception {
        small = new ScriptedLlamaServer(4096).summariesAnswered("The user is going through a project's documents, "
                + "its layout and its TODOs, one question per turn; each was answered from a tool's output. Nothing "
                + "was changed.").start();
        roomy = new ScriptedLlamaServer(32768).start();
        runtime = TestRuntime.prepare("boxagnts-small-context-it").withProject();
        Path workspace = runtime.workspace();
        for (int i = 0; i < 10; i++) { // each ~40 KB
            StringBuilder chapter = new StringBuilder("# Chapter " + i + "\n\n");
            for (int line = 0; chapter.length() < 40_000; line++) {
                chapter.append("Paragraph ").append(line).append(" of chapter ").append(i)
                        .append(": the service reads its configuration, validates it and starts its workers.\n");
            }
            Files.writeString(Files.createDirectories(workspace.resolve("docs")).resolve("chapter" + i + ".md"), chapter);
        }
        Files.writeString(runtime.data().resolve("providers.json"), "[{\"type\":\"openai\",\"id\":\"roomy\","
                + "\"baseUrl\":\"" + roomy.baseUrl() + "\"}]");
        runtime.start("--model-url", small.baseUrl());
        Await.until("the small server is found", () -> Http.get(runtime.url("/api/providers")).body()
                .contains("\"contextWindow\":4096"));
        Await.until("the roomy server is configured", () -> Http.post(runtime.url("/api/providers/roomy/test"), "{}")
                .status() == 200);
    }

    @AfterClass
    public static void stop() {
        if (runtime != null) {
            runtime.close();
        }
        if (small != null) {
            small.close();
        }
        if (roomy != null) {
            roomy.close();
        }
    }

    private static String session() throws Exception {
        Http.Response created = Http.post(runtime.url("/api/sessions"), "{\"title\":\"small context\"}");
        return JsonParser.parseString(created.body()).getAsJsonObject().get("id").getAsString();
    }

    private static String message(String provider, String text) {
        return message(provider, "plan", text);
    }

    private static String message(String provider, String mode, String text) {
        JsonObject body = new JsonObject();
        body.addProperty("text", text);
        body.addProperty("mode", mode);
        body.addProperty("provider", provider);
        return body.toString();
    }

    /** The call the model makes in turn {@code i}: each output is larger than the whole context. */
    private static String[] call(int i) {
        return switch (i % 3) {
            case 0 -> new String[] {"read_file", "{\"path\":\"docs/chapter" + (i % 10) + ".md\"}"};
            case 1 -> new String[] {"list_dir", "{\"depth\":3,\"max_entries\":5000}"};
            default -> new String[] {"grep", "{\"pattern\":\"TODO|Paragraph 1\",\"max_results\":2000}"};
        };
    }

    private static String question(int i) {
        String question = "Question " + (i + 1) + ": what does " + String.join(" ", call(i)) + " show?";
        if (i % 5 == 4) {
            return "Here is the log of the last run:\n" + "2026-11-27T06:00:00Z INFO worker " + i
                    + " started, reading configuration from /etc/demo/demo.conf\n".repeat(120) + question;
        }
        return question;
    }

    /** The system message and tool definitions of a request, by the server's count, and their size in bytes. */
    private static int[] fixedCost(String requestBody) {
        JsonObject request = JsonParser.parseString(requestBody).getAsJsonObject();
        JsonObject fixed = new JsonObject();
        JsonArray system = new JsonArray();
        system.add(request.getAsJsonArray("messages").get(0));
        fixed.add("messages", system);
        fixed.add("tools", request.get("tools"));
        return new int[] {ScriptedLlamaServer.count(fixed), (system.toString() + request.get("tools")).getBytes(
                StandardCharsets.UTF_8).length, request.getAsJsonArray("tools").size()};
    }

    /**
     * The fixed part of a request with every tool offered (ask mode: the writing tools too), as the server receives it:
     * {tokens by the server's count, bytes, tools}.
     */
    private static int[] fixedCostOfHello(ScriptedLlamaServer server, String provider, boolean compact) throws Exception {
        server.thenText("Hello.");
        List<JsonObject> hello = SseTurn.run(runtime, session(), message(provider, "ask", "hello"));
        assertEquals("COMPLETED", SseTurn.reason(hello));
        assertEquals(compact, SseTurn.ofType(hello, "ContextUsage").get(0).get("compactTools").getAsBoolean());
        List<String> requests = server.requests();
        return fixedCost(requests.get(requests.size() - 1));
    }

    @Test
    public void aLongSessionWithHugeToolOutputsCompletesEveryTurnOnA4096TokenContext() throws Exception {
        // the fixed cost of a request, compact (as sent to the small server) and full (the roomy one)
        int[] compactCost = fixedCostOfHello(small, "configured", true);
        int[] fullCost = fixedCostOfHello(roomy, "roomy", false);
        assertEquals(fullCost[2], compactCost[2]);
        assertTrue(compactCost[0] + " vs " + fullCost[0], compactCost[0] < fullCost[0]);

        String session = session();
        List<Long> millis = new ArrayList<>();
        List<Integer> largestOutputs = new ArrayList<>();
        int completed = 0;
        int notices = 0;
        int contextUsages = 0;
        int compact = 0;
        for (int i = 0; i < TURNS; i++) {
            String[] call = call(i);
            small.thenToolCall("call_" + i, call[0], call[1]).thenText("Turn " + (i + 1) + ": the " + call[0]
                    + " output shows what was asked; " + "the details are in the tool's answer. ".repeat(8));
            long started = System.nanoTime();
            List<JsonObject> events = SseTurn.run(runtime, session, message("configured", question(i)));
            millis.add((System.nanoTime() - started) / 1_000_000);
            String reason = SseTurn.reason(events);
            assertEquals("turn " + (i + 1) + ": " + events, "COMPLETED", reason);
            completed++;
            notices += SseTurn.notices(events).size();
            for (JsonObject usage : SseTurn.ofType(events, "ContextUsage")) {
                contextUsages++;
                assertEquals(4096, usage.get("contextTokens").getAsInt());
                compact += usage.get("compactTools").getAsBoolean() ? 1 : 0;
            }
            JsonObject finished = SseTurn.ofType(events, "ToolCallFinished").get(0);
            assertTrue(finished.toString(), finished.get("error") == null || finished.get("error").isJsonNull());
            largestOutputs.add(finished.get("output").getAsString().length());
        }
        assertEquals("no request was sent that the server had to refuse", 0, small.rejected());
        assertEquals(contextUsages, compact);
        assertTrue("every tool output is larger than the context: " + largestOutputs,
                largestOutputs.stream().allMatch(n -> n > 4096 * 4));
        int largestPrompt = small.promptTokens().stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertTrue(largestPrompt + " tokens", largestPrompt < 4096);

        List<Long> sorted = millis.stream().sorted().toList();
        int requests = small.requests().size() - 1; // less the hello
        String report = String.format(Locale.ROOT, """
                ## A %d-turn session on a 4,096-token context (SmallContextSessionIT)

                | measure | value |
                |---|---|
                | turns completed | %d of %d |
                | requests rejected by the server | %d |
                | requests sent | %d (%d steps, %d summaries) |
                | largest prompt, by the server's count | %d tokens |
                | tool outputs (each larger than the context) | %d-%d characters |
                | notices shown to the user | %d |
                | time per turn, runtime + tool (scripted server answers at once) | median %d ms, max %d ms |

                | request's fixed part (system prompt + %d tool definitions) | tokens (server's count) | bytes | share of 4,096 |
                |---|---|---|---|
                | full definitions (32,768-token context) | %d | %d | %.0f %% |
                | compact definitions (4,096-token context) | %d | %d | %.0f %% |
                | compact / full | %.2f | %.2f | |
                """, TURNS, completed, TURNS, small.rejected(), requests, requests - small.summaries(),
                small.summaries(), largestPrompt, largestOutputs.stream().mapToInt(Integer::intValue).min().orElseThrow(),
                largestOutputs.stream().mapToInt(Integer::intValue).max().orElseThrow(), notices,
                sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), fullCost[2],
                fullCost[0], fullCost[1], 100.0 * fullCost[0] / 4096, compactCost[0], compactCost[1],
                100.0 * compactCost[0] / 4096, (double) compactCost[0] / fullCost[0], (double) compactCost[1] / fullCost[1]);
        System.out.println(report);
        Files.writeString(Path.of("target", "small-context-report.md"), report);
    }
}
