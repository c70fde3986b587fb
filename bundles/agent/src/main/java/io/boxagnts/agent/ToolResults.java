package io.boxagnts.agent;

import com.google.gson.JsonObject;
import io.boxagnts.api.agent.AgentEvent;

/** A tool call's outcome as the text the model reads next. */
final class ToolResults {

    private ToolResults() {}

    static String forModel(AgentEvent.ToolCallFinished finished) {
        if (finished.error() == null) {
            return finished.output();
        }
        JsonObject error = new JsonObject();
        error.addProperty("kind", finished.error().kind().name());
        error.addProperty("message", finished.error().message());
        JsonObject json = new JsonObject();
        json.add("error", error);
        return json.toString();
    }
}
