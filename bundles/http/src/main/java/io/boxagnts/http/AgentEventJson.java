package io.boxagnts.http;

import com.google.gson.JsonObject;
import io.boxagnts.api.agent.AgentEvent;

/** Agent events as the API shows them: {@code {"type":"ToolCallStarted", ...the record's components}}. */
final class AgentEventJson {

    private AgentEventJson() {}

    static JsonObject of(AgentEvent event) {
        JsonObject json = new JsonObject();
        json.addProperty("type", event.getClass().getSimpleName());
        JsonResponses.GSON.toJsonTree(event).getAsJsonObject().entrySet().forEach(e -> json.add(e.getKey(), e.getValue()));
        return json;
    }

}
