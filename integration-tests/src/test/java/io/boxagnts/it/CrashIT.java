package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.Test;

/** kill -9 the runtime in the middle of turns, again and again; after a restart every session is readable. */
public class CrashIT {

    @Test
    public void sessionsSurviveKillNineMidTurn() throws Exception {
        try (ScriptedModelServer model = new ScriptedModelServer()) {
            Path root = TempDirs.create("boxagnts-crash-it");
            Path workspace = Files.createDirectories(root.resolve("workspace"));
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            String[] args = {"--workspace-dir", workspace.toString(), "--port", Integer.toString(port),
                    "--data-dir", root.resolve("data").toString(), "--plugins-dir",
                    Files.createDirectories(root.resolve("plugins")).toString(), "--model-url", model.baseUrl()};
            String base = "http://127.0.0.1:" + port;

            // A turn that completes, then three that are killed while the model streams.
            model.thenText("Done and dusted.");
            String completed;
            BoxagntsProcess first = start(args);
            try {
                completed = session(base);
                HttpResponse<String> turn = post(base + "/api/sessions/" + completed + "/messages", "{\"text\":\"hello\"}");
                assertTrue(turn.body(), turn.body().contains("TurnFinished"));
            } finally {
                first.close();
            }
            for (int round = 0; round < 3; round++) {
                model.thenSlowText(200, 20);
                BoxagntsProcess boxagnts = start(args);
                String session = session(base);
                CompletableFuture<HttpResponse<String>> turn = HttpClient.newHttpClient().sendAsync(
                        Http.request(base + "/api/sessions/" + session + "/messages")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"write a long answer\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                int requestsBefore = round + 2;
                Await.until("the answer is streaming", () -> model.requests().size() >= requestsBefore);
                Thread.sleep(100 + round * 150L);
                boxagnts.kill();
                turn.exceptionally(e -> null).join();
            }

            BoxagntsProcess restarted = start(args);
            try {
                JsonArray sessions = JsonParser.parseString(Http.get(base + "/api/sessions").body()).getAsJsonObject()
                        .getAsJsonArray("sessions");
                assertEquals(4, sessions.size());
                for (var session : sessions) {
                    String id = session.getAsJsonObject().get("id").getAsString();
                    Http.Response read = Http.get(base + "/api/sessions/" + id);
                    assertEquals(read.body(), 200, read.status());
                    JsonObject body = JsonParser.parseString(read.body()).getAsJsonObject();
                    assertTrue(body.toString(), body.getAsJsonArray("events").size() >= 1); // at least the user's message
                }
                String intact = Http.get(base + "/api/sessions/" + completed).body();
                assertTrue(intact, intact.contains("Done and dusted.") && intact.contains("\"COMPLETED\""));
            } finally {
                restarted.close();
            }
        }
    }

    private static BoxagntsProcess start(String[] args) throws Exception {
        BoxagntsProcess boxagnts = BoxagntsProcess.start(args);
        boxagnts.awaitReady();
        Await.until("the model server is discovered",
                () -> boxagnts.stderr().stream().anyMatch(l -> l.contains("Local model servers: [configured")));
        return boxagnts;
    }

    private static String session(String base) throws Exception {
        return JsonParser.parseString(Http.post(base + "/api/sessions", "{\"title\":\"crash\"}").body())
                .getAsJsonObject().get("id").getAsString();
    }

    private static HttpResponse<String> post(String url, String body) throws Exception {
        return HttpClient.newHttpClient().send(Http.request(url)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
