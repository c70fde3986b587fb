package io.boxagnts.http;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** How every BoxAgnts endpoint answers: JSON, UTF-8, never cached; errors as {@code {"error":{kind,message}}}. */
final class JsonResponses {

    static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private JsonResponses() {}

    static void send(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(GSON.toJson(body));
    }

    static void error(HttpServletResponse response, int status, String kind, String message) throws IOException {
        JsonObject error = new JsonObject();
        error.addProperty("kind", kind);
        error.addProperty("message", message);
        JsonObject body = new JsonObject();
        body.add("error", error);
        send(response, status, body);
    }
}
