package io.boxagnts.providers.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxagnts.api.model.ChatDelta;
import io.boxagnts.api.model.ChatMessage;
import io.boxagnts.api.model.ChatRequest;
import io.boxagnts.api.model.ChatResponse;
import io.boxagnts.api.model.ModelException;
import io.boxagnts.api.model.ToolCall;
import io.boxagnts.api.model.ToolDefinition;
import io.boxagnts.providers.http.ModelHttp;
import io.boxagnts.providers.openai.ScriptedOpenAiServer;
import io.boxagnts.providers.openai.ScriptedOpenAiServer.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Anthropic provider against a scripted server replaying the Messages API's event stream. */
class AnthropicProviderTest {

    private static Answer events(String... typeAndData) {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < typeAndData.length; i += 2) {
            pieces.add("event: " + typeAndData[i] + "\ndata: " + typeAndData[i + 1] + "\n\n");
        }
        return new Answer(200, Map.of("Content-Type", "text/event-stream"), pieces);
    }

    private static AnthropicProvider provider(ScriptedOpenAiServer server, String key) {
        return new AnthropicProvider("anthropic", server.baseUrl(), Optional.ofNullable(key), 1024,
                new ModelHttp.Timing(Duration.ofSeconds(2), Duration.ofSeconds(10), 1, Duration.ofMillis(20)));
    }

    private static final ChatRequest REQUEST = new ChatRequest("claude-sonnet",
            List.of(ChatMessage.system("Be brief."), ChatMessage.user("Find the TODOs")),
            List.of(new ToolDefinition("grep", "Search files", "{\"type\":\"object\"}")), 0);

    @Test
    void textAndAToolUseStreamIn() throws Exception {
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(events(
                "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"role\":\"assistant\",\"content\":[],\"usage\":{\"input_tokens\":42,\"output_tokens\":1}}}",
                "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
                "ping", "{\"type\":\"ping\"}",
                "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Searching.\"}}",
                "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}",
                "content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_01\",\"name\":\"grep\",\"input\":{}}}",
                "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"patt\"}}",
                "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"ern\\\": \\\"TODO\\\"}\"}}",
                "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}",
                "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":27}}",
                "message_stop", "{\"type\":\"message_stop\"}"))) {
            List<ChatDelta> deltas = new ArrayList<>();
            ChatResponse response = provider(server, "sk-ant-secret").chat(REQUEST, deltas::add);
            assertEquals("Searching.", response.message().text());
            assertEquals(List.of(new ToolCall("toolu_01", "grep", "{\"pattern\": \"TODO\"}")), response.message().toolCalls());
            assertEquals(ChatResponse.FinishReason.TOOL_CALLS, response.finishReason());
            assertEquals(42, response.usage().inputTokens());
            assertEquals(27, response.usage().outputTokens());
            assertTrue(deltas.contains(new ChatDelta.Text("Searching.")));

            ScriptedOpenAiServer.Received received = server.received().get(0);
            assertEquals("/v1/messages", received.path());
            assertEquals(List.of("sk-ant-secret"), received.headers().get("X-api-key"));
            assertEquals(List.of(AnthropicProvider.API_VERSION), received.headers().get("Anthropic-version"));
            JsonObject body = JsonParser.parseString(received.body()).getAsJsonObject();
            assertEquals("Be brief.", body.get("system").getAsString());
            assertEquals(1024, body.get("max_tokens").getAsInt());
            assertEquals("grep", body.getAsJsonArray("tools").get(0).getAsJsonObject().get("name").getAsString());
        }
    }

    @Test
    void toolResultsGoBackAsToolResultBlocksOfOneUserTurn() throws Exception {
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(events(
                "message_start", "{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":5}}}",
                "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
                "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Two.\"}}",
                "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":2}}",
                "message_stop", "{\"type\":\"message_stop\"}"))) {
            ChatRequest followUp = new ChatRequest("claude-sonnet", List.of(ChatMessage.user("count"),
                    ChatMessage.assistant("", List.of(new ToolCall("t1", "grep", "{\"pattern\":\"a\"}"),
                            new ToolCall("t2", "grep", "{\"pattern\":\"b\"}"))),
                    ChatMessage.toolResult("t1", "{\"n\":1}"), ChatMessage.toolResult("t2", "{\"n\":1}")), List.of(), 0);
            ChatResponse response = provider(server, null).chat(followUp, d -> { });
            assertEquals(ChatResponse.FinishReason.STOP, response.finishReason());
            JsonArray messages = JsonParser.parseString(server.received().get(0).body()).getAsJsonObject()
                    .getAsJsonArray("messages");
            assertEquals(3, messages.size());
            JsonArray results = messages.get(2).getAsJsonObject().getAsJsonArray("content");
            assertEquals("user", messages.get(2).getAsJsonObject().get("role").getAsString());
            assertEquals(2, results.size());
            assertEquals("tool_result", results.get(0).getAsJsonObject().get("type").getAsString());
            assertEquals("t2", results.get(1).getAsJsonObject().get("tool_use_id").getAsString());
            JsonObject use = messages.get(1).getAsJsonObject().getAsJsonArray("content").get(0).getAsJsonObject();
            assertEquals("a", use.getAsJsonObject("input").get("pattern").getAsString());
            assertFalse(server.received().get(0).headers().containsKey("X-api-key"));
        }
    }

    @Test
    void anOverloadedErrorMidStreamAndACutStreamAreNamed() throws Exception {
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(
                events("message_start", "{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":5}}}",
                        "error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"),
                events("message_start", "{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":5}}}",
                        "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"))) {
            AnthropicProvider provider = provider(server, "k");
            assertEquals(ModelException.Kind.SERVER_ERROR,
                    assertThrows(ModelException.class, () -> provider.chat(REQUEST, d -> { })).kind());
            assertEquals(ModelException.Kind.STREAM_CUT,
                    assertThrows(ModelException.class, () -> provider.chat(REQUEST, d -> { })).kind());
        }
    }

    @Test
    void aBadKeyIsAnAuthenticationError() throws Exception {
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(Answer.status(401,
                "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}", Map.of()))) {
            ModelException e = assertThrows(ModelException.class, () -> provider(server, "sk-wrong").chat(REQUEST, d -> { }));
            assertEquals(ModelException.Kind.AUTHENTICATION, e.kind());
            assertFalse(e.getMessage().contains("sk-wrong"));
        }
    }
}
