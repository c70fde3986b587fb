package io.boxagnts.http;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Reading what a request asks for. */
final class Requests {

    private Requests() {}

    /** The path below the servlet's pattern, in segments: {@code /a/b} -> {@code [a, b]}, none -> {@code []}. */
    static String[] path(HttpServletRequest request) {
        String info = request.getPathInfo();
        return info == null || info.equals("/") ? new String[0] : info.substring(1).split("/");
    }

    /** The JSON object body, at most {@code limit} bytes, or null after answering 400/413. Empty counts as {}. */
    static JsonObject jsonObject(HttpServletRequest request, HttpServletResponse response, int limit)
            throws IOException {
        String text = JsonResponses.body(request, response, limit);
        if (text == null) {
            return null;
        }
        try {
            JsonElement json = JsonParser.parseString(text);
            if (json.isJsonObject()) {
                return json.getAsJsonObject();
            }
            JsonResponses.error(response, 400, "INVALID_INPUT", "the body must be a JSON object");
        } catch (RuntimeException e) {
            JsonResponses.error(response, 400, "INVALID_INPUT", "the body is not valid JSON: " + e.getMessage());
        }
        return null;
    }

    /** A text field of a JSON body; empty when it is missing or not a plain value. */
    static String string(JsonObject body, String field) {
        return body.has(field) && body.get(field).isJsonPrimitive() ? body.get(field).getAsString() : "";
    }
}
