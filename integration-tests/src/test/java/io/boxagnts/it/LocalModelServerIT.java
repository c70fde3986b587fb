package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * A small local model as a new user runs it, over the HTTP API: the runtime from bin/boxagnts with the shipped tools,
 * and a scripted llama-server with a 4,096-token context (llama.cpp's wire, its limits and its overflow error) that
 * starts after BoxAgnts, and stops and comes back. In order: the story of one user's afternoon.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class LocalModelServerIT {

    private static ScriptedLlamaServer llama;
    private static TestRuntime runtime;
    private static String session;

    @BeforeClass
    public static void start() throws Exception {
        llama = new ScriptedLlamaServer(4096); // not started: the user starts it later
        runtime = TestRuntime.prepare("boxagnts-local-model-it").withProject();
        runtime.start("--model-url", llama.baseUrl());
    }

    @AfterClass
    public static void stop() {
        if (runtime != null) {
            runtime.close();
        }
        if (llama != null) {
            llama.close();
        }
    }

    private static String url(String path) {
        return runtime.url(path);
    }

    private static Http.Response post(String text) throws Exception {
        return Http.post(url("/api/sessions/" + session + "/messages"), body(text));
    }

    private static String body(String text) {
        JsonObject body = new JsonObject();
        body.addProperty("text", text);
        body.addProperty("mode", "plan");
        return body.toString();
    }

    /** A turn to its end, as the UI reads it. */
    private static List<JsonObject> turn(String text) throws Exception {
        return SseTurn.run(runtime, session, body(text));
    }

    private static String reason(List<JsonObject> events) {
        return SseTurn.reason(events);
    }

    private static List<String> notices(List<JsonObject> events) {
        return SseTurn.notices(events);
    }

    private static JsonObject error(Http.Response response) {
        return JsonParser.parseString(response.body()).getAsJsonObject().getAsJsonObject("error");
    }

    @Test
    public void a_withNoServerRunningATurnIsAnOutageThatSaysWhatToDo() throws Exception {
        Http.Response created = Http.post(url("/api/sessions"), "{\"title\":\"small model\"}");
        session = JsonParser.parseString(created.body()).getAsJsonObject().get("id").getAsString();
        Http.Response refused = post("hello");
        assertEquals(refused.body(), 503, refused.status());
        assertEquals("MODEL_UNAVAILABLE", error(refused).get("kind").getAsString());
        assertTrue(refused.body(), error(refused).get("message").getAsString().contains("Models screen"));
    }

    @Test
    public void b_aServerStartedAfterBoxAgntsIsFoundByItselfWithItsContextSize() throws Exception {
        llama.start();
        Await.until("the background probe finds the server", () -> Http.get(url("/api/providers")).body()
                .contains("\"reachable\":true"));
        JsonObject providers = JsonParser.parseString(Http.get(url("/api/providers")).body()).getAsJsonObject();
        JsonObject server = providers.getAsJsonArray("servers").get(0).getAsJsonObject();
        JsonObject limits = server.getAsJsonArray("limits").get(0).getAsJsonObject();
        assertEquals(4096, limits.get("contextWindow").getAsInt());
        assertEquals("YES", limits.get("toolCalls").getAsString());
        llama.thenText("Hello! How can I help?");
        assertEquals("COMPLETED", reason(turn("hello")));
    }

    @Test
    public void c_anOversizedMessageIsCutWithANoticeAndTheNextTurnStillCompletes() throws Exception {
        String log = "Please look at this build log:\n" + "[ERROR] Failed to execute goal on project demo: "
                .concat("compilation failure at src/main/java/Demo.java:[42,17] cannot find symbol\n").repeat(300)
                + "What is wrong?";
        assertTrue(log.length() > 30_000);
        llama.thenText("Demo.java line 42 uses a symbol that does not exist.");
        List<JsonObject> first = turn(log);
        assertEquals(first.toString(), "COMPLETED", reason(first));
        assertTrue(notices(first).toString(), notices(first).stream().anyMatch(n -> n.startsWith("Your message was cut")));
        JsonObject usage = first.stream().filter(e -> e.get("type").getAsString().equals("ContextUsage")).findFirst()
                .orElseThrow();
        assertEquals(4096, usage.get("contextTokens").getAsInt());
        assertTrue(usage.get("compactTools").getAsBoolean());

        llama.thenText("The user sent a long build log; Demo.java line 42 fails.").thenText("You are welcome.");
        List<JsonObject> next = turn("thanks");
        assertEquals(next.toString(), "COMPLETED", reason(next));
        assertEquals("no request was sent that the server had to refuse", 0, llama.rejected());
    }

    @Test
    public void d_aHugeToolOutputIsCappedAndTheTurnCompletes() throws Exception {
        llama.thenToolCall("call_1", "list_dir", "{\"depth\":3,\"max_entries\":5000}").thenText("There are 20 modules.");
        List<JsonObject> events = turn("what is in this project?");
        assertEquals(events.toString(), "COMPLETED", reason(events));
        JsonObject listed = events.stream().filter(e -> e.get("type").getAsString().equals("ToolCallFinished"))
                .findFirst().orElseThrow();
        assertTrue("the real listing is large", listed.get("output").getAsString().length() > 20_000);
        List<String> requests = llama.requests();
        String last = requests.get(requests.size() - 1);
        assertTrue(last.length() + " bytes", last.length() < 16_000 && last.contains("output cut"));
        assertEquals(0, llama.rejected());
    }

    @Test
    public void e_anAnswerCutAtTheTokenLimitEndsWithMaxTokens() throws Exception {
        llama.thenCutAtTheLimit("Here is the first half of a very long answer");
        List<JsonObject> events = turn("explain everything");
        assertEquals("MAX_TOKENS", reason(events));
        assertTrue(notices(events).toString(), notices(events).stream().anyMatch(n -> n.contains("output token limit")));
    }

    @Test
    public void f_aStoppedServerIsAnOutageUntilItComesBackByItself() throws Exception {
        llama.stop();
        Http.Response refused = post("are you there?");
        assertEquals(refused.body(), 503, refused.status());
        assertEquals("MODEL_UNAVAILABLE", error(refused).get("kind").getAsString());
        assertTrue(refused.body(), error(refused).get("message").getAsString().contains("is the model server running?"));
        Await.until("the server is seen down", () -> Http.get(url("/api/providers")).body().contains("\"reachable\":false"));
        assertFalse("a refused turn logs nothing", Http.get(url("/api/sessions/" + session)).body()
                .contains("are you there?"));

        llama.start();
        Await.until("the server is seen up again", () -> Http.get(url("/api/providers")).body().contains("\"reachable\":true"));
        llama.thenText("Yes, back again.");
        assertEquals("COMPLETED", reason(turn("are you there?")));
    }

    @Test
    public void g_aServerKilledMidStreamEndsTheTurnAndKeepsWhatCame() throws Exception {
        llama.then("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Half an \"}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"answer\"}}]}", "\u0000sleep 60000");
        Thread killer = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(1500);
                llama.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        List<JsonObject> events = turn("write a long story");
        killer.join();
        assertEquals("ERROR", reason(events));
        JsonObject end = events.get(events.size() - 1);
        assertEquals("what streamed counts", 2, end.getAsJsonObject("usage").get("outputTokens").getAsInt());
        String stored = Http.get(url("/api/sessions/" + session)).body();
        assertTrue("the partial answer stays in the session", stored.contains("Half an answer"));
        llama.start();
    }
}
