package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.util.List;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * A small model as Ollama serves it, over the HTTP API: the runtime from bin/boxagnts and a scripted Ollama whose
 * model was trained for 32,768 tokens but runs with {@code num_ctx 4096}. Ollama does not refuse a prompt that is too
 * long: it drops its beginning (the system prompt, the user's instructions) without a word. So nothing may reach it
 * that does not fit: the runtime must know the 4,096 the Ollama way and budget to it. The same server is also
 * configured in providers.json with a short idle timeout, for an answer that goes silent half-way.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class OllamaSmallContextIT {

    private static ScriptedLlamaServer ollama;
    private static TestRuntime runtime;
    private static String session;

    @BeforeClass
    public static void start() throws Exception {
        ollama = ScriptedLlamaServer.ollama(4096).summariesAnswered("The user asked why the build fails: Demo.java "
                + "line 42 uses a symbol that does not exist.").start();
        runtime = TestRuntime.prepare("boxagnts-ollama-it").withProject();
        Files.writeString(runtime.data().resolve("providers.json"), "[{\"type\":\"openai\",\"id\":"
                + "\"impatient\",\"baseUrl\":\"" + ollama.baseUrl() + "\",\"idleTimeoutMs\":1500}]");
        runtime.start("--model-url", ollama.baseUrl());
        Http.Response created = Http.post(runtime.url("/api/sessions"), "{\"title\":\"ollama\"}");
        session = JsonParser.parseString(created.body()).getAsJsonObject().get("id").getAsString();
    }

    @AfterClass
    public static void stop() {
        if (runtime != null) {
            runtime.close();
        }
        if (ollama != null) {
            ollama.close();
        }
    }

    private static List<JsonObject> turn(String text) throws Exception {
        return turn(text, "");
    }

    private static List<JsonObject> turn(String text, String provider) throws Exception {
        JsonObject body = new JsonObject();
        body.addProperty("text", text);
        body.addProperty("mode", "plan");
        body.addProperty("provider", provider);
        return SseTurn.run(runtime, session, body.toString());
    }

    @Test
    public void a_theContextIsOllamasNumCtxNotTheTrainedLength() throws Exception {
        Await.until("the Ollama model's limits are known", () -> Http.get(runtime.url("/api/providers")).body()
                .contains("\"contextWindow\":4096"));
        String providers = Http.get(runtime.url("/api/providers")).body();
        assertTrue(providers, providers.contains("\"limitsFrom\":\"Ollama num_ctx\""));
        assertTrue(providers, providers.contains(ScriptedLlamaServer.OLLAMA_MODEL));
        assertTrue(providers, providers.contains("\"toolCalls\":\"YES\""));
    }

    @Test
    public void b_anOversizedMessageIsCutByTheRuntimeNotSilentlyByOllama() throws Exception {
        String log = "Why does the build fail?\n" + "[ERROR] /src/main/java/Demo.java:[42,17] cannot find symbol\n"
                .repeat(500) + "Please answer briefly.";
        ollama.thenText("Demo.java line 42 uses a symbol that does not exist.");
        List<JsonObject> events = turn(log);
        assertEquals(events.toString(), "COMPLETED", SseTurn.reason(events));
        assertTrue(SseTurn.notices(events).toString(), SseTurn.notices(events).stream()
                .anyMatch(n -> n.startsWith("Your message was cut")));
        assertEquals(4096, SseTurn.ofType(events, "ContextUsage").get(0).get("contextTokens").getAsInt());
        String sent = ollama.requests().get(0);
        assertTrue("the start of the conversation reached the model", sent.contains("Why does the build fail?")
                && sent.contains("Please answer briefly."));
        assertEquals("nothing Ollama would have cut without a word", 0, ollama.truncated());
    }

    @Test
    public void c_aHugeToolOutputAndTheTurnsAfterItFitToo() throws Exception {
        ollama.thenToolCall("call_1", "list_dir", "{\"depth\":3,\"max_entries\":5000}").thenText("20 modules.")
                .thenText("You are welcome.");
        List<JsonObject> listed = turn("what is in this project?");
        assertEquals("COMPLETED", SseTurn.reason(listed));
        assertTrue("the earlier conversation was summarised by the model, and the user told",
                SseTurn.notices(listed).stream().anyMatch(n -> n.contains("the earlier part was summarised")));
        assertEquals("COMPLETED", SseTurn.reason(turn("thanks")));
        String log = Http.get(runtime.url("/api/sessions/" + session)).body();
        assertTrue("the summary is marked in the session", log.contains("\"type\":\"ContextSummary\"")
                && log.contains("Demo.java line 42 uses a symbol"));
        assertTrue(ollama.summaries() >= 1);
        assertEquals("nothing Ollama would have cut without a word", 0, ollama.truncated());
        assertTrue(ollama.promptTokens().toString(), ollama.promptTokens().stream().allMatch(t -> t < 4096));
    }

    @Test
    public void d_anAnswerThatGoesSilentIsEndedAfterTheIdleTimeoutAndKeepsWhatCame() throws Exception {
        Await.until("the configured provider is up", () -> Http.post(runtime.url("/api/providers/impatient/test"), "{}")
                .status() == 200);
        ollama.then("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Let me look at \"}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"the modules\"}}]}", "\u0000sleep 60000");
        List<JsonObject> events = turn("and the tests?", "impatient");
        assertEquals("ERROR", SseTurn.reason(events));
        String error = SseTurn.ofType(events, "Error").get(0).get("message").getAsString();
        assertTrue(error, error.contains("went silent") && error.contains("the answer was ended there"));
        assertEquals("what streamed counts", 2, events.get(events.size() - 1).getAsJsonObject("usage")
                .get("outputTokens").getAsInt());
        assertTrue("the partial answer stays in the session", Http.get(runtime.url("/api/sessions/" + session)).body()
                .contains("Let me look at the modules"));
        ollama.thenText("There are no tests yet.");
        assertEquals("the server answers again: so does the session", "COMPLETED",
                SseTurn.reason(turn("and the tests?", "impatient")));
    }
}
