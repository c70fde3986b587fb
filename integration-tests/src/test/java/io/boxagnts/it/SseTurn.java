package io.boxagnts.it;

import static org.junit.Assert.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** A turn over the HTTP API, read to its end the way the UI reads it: the Server-Sent Events of the message's POST. */
final class SseTurn {

    private SseTurn() {}

    /** Posts {@code body} as a message of the session and answers every event of the turn, in order. */
    static List<JsonObject> run(TestRuntime runtime, String session, String body) throws Exception {
        HttpResponse<java.util.stream.Stream<String>> response = HttpClient.newHttpClient().send(
                Http.request(runtime.url("/api/sessions/" + session + "/messages")).timeout(Duration.ofSeconds(120))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        List<JsonObject> events = new ArrayList<>();
        Iterator<String> lines = response.body().iterator();
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith("data: ")) {
                events.add(JsonParser.parseString(line.substring(6)).getAsJsonObject());
            }
        }
        return events;
    }

    /** Why the turn ended (its last event must be TurnFinished). */
    static String reason(List<JsonObject> events) {
        JsonObject last = events.get(events.size() - 1);
        assertEquals(events.toString(), "TurnFinished", last.get("type").getAsString());
        return last.get("reason").getAsString();
    }

    static List<JsonObject> ofType(List<JsonObject> events, String type) {
        return events.stream().filter(e -> e.get("type").getAsString().equals(type)).toList();
    }

    /** What the user was told along the way. */
    static List<String> notices(List<JsonObject> events) {
        return ofType(events, "Notice").stream().map(e -> e.get("message").getAsString()).toList();
    }
}
