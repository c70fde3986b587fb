package io.boxagnts.http;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSerializer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** How every BoxAgnts endpoint answers: JSON, UTF-8, never cached; errors as {@code {"error":{kind,message}}}. */
final class JsonResponses {

    /** Instants as ISO-8601 text: Gson cannot reach into java.time's fields, and clients read ISO dates anyway. */
    static final Gson GSON = new GsonBuilder().disableHtmlEscaping()
            .registerTypeAdapter(Instant.class, (JsonSerializer<Instant>) (at, type, context) -> new JsonPrimitive(at.toString()))
            .create();

    private JsonResponses() {}

    /**
     * The request body as text, at most {@code limit} bytes; null after answering 413 when it is larger. An empty
     * body reads as {@code {}}.
     */
    static String body(HttpServletRequest request, HttpServletResponse response, int limit) throws IOException {
        if (request.getContentLengthLong() <= limit) {
            byte[] bytes;
            try (InputStream in = request.getInputStream()) {
                bytes = in.readNBytes(limit + 1);
            } catch (IOException | RuntimeException e) { // broken chunked framing, a client that went away
                error(response, 400, "INVALID_INPUT", "the request body could not be read: " + e.getMessage());
                return null;
            }
            if (bytes.length <= limit) {
                String text = new String(bytes, StandardCharsets.UTF_8);
                return text.isBlank() ? "{}" : text;
            }
        }
        error(response, 413, "INVALID_INPUT", "the request body is larger than " + limit + " bytes");
        return null;
    }

    static void send(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(GSON.toJson(body));
    }

    static void error(HttpServletResponse response, int status, String kind, String message) throws IOException {
        send(response, status, errorBody(kind, message));
    }

    /** The API's error shape, {@code {"error":{"kind":...,"message":...}}}. */
    static JsonObject errorBody(String kind, String message) {
        JsonObject error = new JsonObject();
        error.addProperty("kind", kind);
        error.addProperty("message", message);
        JsonObject body = new JsonObject();
        body.add("error", error);
        return body;
    }
}
