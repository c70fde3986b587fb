package io.boxagnts.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

class RequestsTest {

    private static JsonObject json(String text) {
        return JsonParser.parseString(text).getAsJsonObject();
    }

    @Test
    void fieldsOfTheWrongTypeAreEmptyOrRefusedNeverAServerError() {
        assertEquals("", Requests.string(json("{\"text\":{}}"), "text"));
        assertEquals("", Requests.string(json("{}"), "text"));
        assertThrows(IllegalArgumentException.class, () -> Requests.string(json("{\"text\":true}"), "text"));
        assertThrows(IllegalArgumentException.class, () -> Requests.string(json("{\"text\":1e999}"), "text"));
        assertEquals("😀", Requests.string(json("{\"text\":\"\\ud83d\\ude00\"}"), "text"));
        assertThrows(IllegalArgumentException.class, () -> Requests.string(json("{\"text\":\"\\ud800\"}"), "text"));
        assertThrows(IllegalArgumentException.class, () -> Requests.string(json("{\"text\":\"a\\ude00\"}"), "text"));
        assertFalse(Requests.bool(json("{}"), "approved", false));
        assertThrows(IllegalArgumentException.class, () -> Requests.bool(json("{\"approved\":\"yes\"}"), "approved", false));
    }
}
