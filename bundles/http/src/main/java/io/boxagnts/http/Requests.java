package io.boxagnts.http;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Reading what a request asks for. */
final class Requests {

    private Requests() {}

    /** The path below the servlet's pattern, in segments: {@code /a/b} -> {@code [a, b]}, none -> {@code []}. */
    static String[] path(HttpServletRequest request) {
        String info = request.getPathInfo();
        return info == null || info.equals("/") ? new String[0] : info.substring(1).split("/");
    }

    /**
     * A parameter of the query string, decoded as UTF-8; null when absent. Read from the query only: reading
     * parameters the servlet way could consume a form body, and throws on broken encodings.
     *
     * @throws IllegalArgumentException when it is not valid percent-encoded UTF-8
     */
    static String query(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                return decode(eq < 0 ? "" : pair.substring(eq + 1), name);
            }
        }
        return null;
    }

    private static String decode(String value, String name) {
        try {
            // percent-escapes to bytes first (one char each in ISO-8859-1), then the bytes as strict UTF-8
            byte[] bytes = URLDecoder.decode(value, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.ISO_8859_1);
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw new IllegalArgumentException("the parameter '" + name + "' is not valid percent-encoded UTF-8");
        }
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

    /** A true/false field; {@code otherwise} when it is missing. */
    static boolean bool(JsonObject body, String field, boolean otherwise) {
        JsonElement value = body.get(field);
        if (value == null || value.isJsonNull()) {
            return otherwise;
        }
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isBoolean()) {
            return value.getAsBoolean();
        }
        throw new IllegalArgumentException("\"" + field + "\" must be true or false");
    }

    /** A text field of a JSON body; empty when it is missing or not a plain value. */
    static String string(JsonObject body, String field) {
        if (body.has(field) && body.get(field).isJsonPrimitive() && !body.get(field).getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a string, not " + body.get(field));
        }
        String text = body.has(field) && body.get(field).isJsonPrimitive() ? body.get(field).getAsString() : "";
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) ? i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(++i)) : !Character.isLowSurrogate(c);
            if (!paired) { // JSON can escape half a character ("\ud800"); it cannot be stored as UTF-8
                throw new IllegalArgumentException("\"" + field + "\" holds half of a UTF-16 surrogate pair");
            }
        }
        return text;
    }
}
