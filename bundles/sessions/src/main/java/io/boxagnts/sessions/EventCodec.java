package io.boxagnts.sessions;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import io.boxagnts.api.agent.AgentEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Agent events as single JSON lines: {@code {"type":"ToolCallStarted", ...the record's components}}. Every record
 * nested in {@link AgentEvent} is known by its simple name, so a new event type needs no change here; a line of a
 * type this version does not know is skipped, not an error.
 */
final class EventCodec {

    static final String TYPE = "type";

    private static final Map<String, Class<? extends AgentEvent>> TYPES = Stream.of(AgentEvent.class.getDeclaredClasses())
            .filter(c -> c.isRecord() && AgentEvent.class.isAssignableFrom(c))
            .map(c -> c.asSubclass(AgentEvent.class))
            .collect(Collectors.toUnmodifiableMap(Class::getSimpleName, Function.identity()));

    static final Gson GSON = new GsonBuilder()
            .disableHtmlEscaping()
            .registerTypeAdapter(Instant.class, new TypeAdapter<Instant>() {
                @Override
                public void write(JsonWriter out, Instant value) throws IOException {
                    if (value == null) {
                        out.nullValue();
                    } else {
                        out.value(value.toString());
                    }
                }

                @Override
                public Instant read(JsonReader in) throws IOException {
                    return Instant.parse(in.nextString());
                }
            }.nullSafe())
            .create();

    private EventCodec() {}

    static String encode(AgentEvent event) {
        JsonObject json = GSON.toJsonTree(event).getAsJsonObject();
        JsonObject line = new JsonObject();
        line.addProperty(TYPE, event.getClass().getSimpleName());
        json.entrySet().forEach(e -> line.add(e.getKey(), e.getValue()));
        return GSON.toJson(line);
    }

    /** The event of a line, or empty when the line is of a type this version does not know. */
    static Optional<AgentEvent> decode(JsonObject line) {
        JsonElement type = line.get(TYPE);
        Class<? extends AgentEvent> eventType = type == null ? null : TYPES.get(type.getAsString());
        return eventType == null ? Optional.empty() : Optional.of(GSON.fromJson(line, eventType));
    }

    static JsonObject parse(String line) {
        return JsonParser.parseString(line).getAsJsonObject();
    }
}
