package io.boxagnts.providers.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxagnts.api.model.ChatDelta;
import io.boxagnts.api.model.ChatMessage;
import io.boxagnts.api.model.ChatRequest;
import io.boxagnts.api.model.ChatResponse;
import io.boxagnts.api.model.ModelException;
import io.boxagnts.api.model.ToolCall;
import io.boxagnts.api.model.ToolDefinition;
import io.boxagnts.providers.openai.ScriptedOpenAiServer.Answer;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The provider against a scripted server replaying the wire format of OpenAI-compatible servers. */
class OpenAiCompatibleProviderTest {

    private static final ChatRequest REQUEST = new ChatRequest("qwen2.5-coder",
            List.of(ChatMessage.system("You are helpful."), ChatMessage.user("Find the TODOs")),
            List.of(new ToolDefinition("grep", "Search files", "{\"type\":\"object\"}")), 0);

    private static OpenAiCompatibleProvider provider(URI baseUrl, Optional<String> key) {
        return new OpenAiCompatibleProvider("test", baseUrl, key, Duration.ofSeconds(2), Duration.ofSeconds(10), 2,
                Duration.ofMillis(50));
    }

    private static ChatResponse chat(ScriptedOpenAiServer server, List<ChatDelta> deltas) throws ModelException {
        return provider(server.baseUrl(), Optional.empty()).chat(REQUEST, deltas::add);
    }

    @Test
    void streamedTextArrivesAsDeltasWithUsage() throws Exception {
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(Answer.stream(
                "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}",
                "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Two \"}}]}",
                "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"TODOs.\"},\"finish_reason\":null}]}",
                "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
                "{\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":4,\"total_tokens\":35}}",
                "[DONE]"))) {
            List<ChatDelta> deltas = new ArrayList<>();
            ChatResponse response = chat(server, deltas);
            assertEquals("Two TODOs.", response.message().text());
            assertEquals(List.of(new ChatDelta.Text("Two "), new ChatDelta.Text("TODOs.")), deltas);
            assertEquals(ChatResponse.FinishReason.STOP, response.finishReason());
            assertEquals(31, response.usage().inputTokens());
            assertEquals(4, response.usage().outputTokens());
        }
    }

    @Test
    void interleavedToolCallsAreJoinedByIndex() throws Exception {
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(Answer.stream(
                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"grep\",\"arguments\":\"\"}}]}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"read_file\",\"arguments\":\"{\\\"pa\"}}]}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"pattern\\\":\"}}]}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"th\\\":\\\"README.md\\\"}\"}}]}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"TODO\\\"}\"}}]}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}",
                "[DONE]"))) {
            List<ChatDelta> deltas = new ArrayList<>();
            ChatResponse response = chat(server, deltas);
            assertEquals(ChatResponse.FinishReason.TOOL_CALLS, response.finishReason());
            assertEquals(List.of(new ToolCall("call_a", "grep", "{\"pattern\":\"TODO\"}"),
                    new ToolCall("call_b", "read_file", "{\"path\":\"README.md\"}")), response.message().toolCalls());
            assertEquals(5, deltas.stream().filter(d -> d instanceof ChatDelta.ToolCallFragment).count());
        }
    }

    @Test
    void aToolCallWrittenAsTextBecomesARealOne() throws Exception {
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(Answer.stream(
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Let me look.\\n<tool_call>\\n{\\\"name\\\": \\\"grep\\\", \"}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\\"arguments\\\": {\\\"pattern\\\": \\\"TODO\\\"}}\\n</tool_call>\"}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
                "[DONE]"))) {
            ChatResponse response = chat(server, new ArrayList<>());
            assertEquals(ChatResponse.FinishReason.TOOL_CALLS, response.finishReason());
            ToolCall call = response.message().toolCalls().get(0);
            assertEquals("grep", call.name());
            assertEquals("TODO", JsonParser.parseString(call.arguments()).getAsJsonObject().get("pattern").getAsString());
            assertEquals("Let me look.", response.message().text());
        }
    }

    @Test
    void theRequestSpeaksTheWireFormatAndCarriesTheKey() throws Exception {
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(Answer.stream(
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}", "[DONE]"))) {
            ChatRequest followUp = new ChatRequest("m", List.of(ChatMessage.user("hi"),
                    ChatMessage.assistant("", List.of(new ToolCall("call_1", "grep", "{\"pattern\":\"x\"}"))),
                    ChatMessage.toolResult("call_1", "{\"matches\":[]}")), List.of(), 100);
            provider(server.baseUrl(), Optional.of("sk-secret")).chat(followUp, d -> { });
            ScriptedOpenAiServer.Received received = server.received().get(0);
            assertEquals("/v1/chat/completions", received.path());
            assertEquals(List.of("Bearer sk-secret"), received.headers().get("Authorization"));
            JsonObject body = JsonParser.parseString(received.body()).getAsJsonObject();
            assertTrue(body.get("stream").getAsBoolean());
            assertEquals(100, body.get("max_tokens").getAsInt());
            JsonObject assistant = body.getAsJsonArray("messages").get(1).getAsJsonObject();
            assertEquals("call_1", assistant.getAsJsonArray("tool_calls").get(0).getAsJsonObject().get("id").getAsString());
            JsonObject tool = body.getAsJsonArray("messages").get(2).getAsJsonObject();
            assertEquals("tool", tool.get("role").getAsString());
            assertEquals("call_1", tool.get("tool_call_id").getAsString());
        }
    }

    @Test
    void rateLimitsAndServerErrorsAreRetried() throws Exception {
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(
                Answer.status(429, "{\"error\":{\"message\":\"slow down\"}}", Map.of("Retry-After", "0")),
                Answer.status(503, "overloaded", Map.of()),
                Answer.stream("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"fine\"},\"finish_reason\":\"stop\"}]}", "[DONE]"))) {
            assertEquals("fine", chat(server, new ArrayList<>()).message().text());
            assertEquals(3, server.received().size());
        }
    }

    @Test
    void persistentServerErrorsEndWithAClearError() throws Exception {
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(
                Answer.status(500, "{\"error\":{\"message\":\"boom\"}}", Map.of()),
                Answer.status(500, "{\"error\":{\"message\":\"boom\"}}", Map.of()),
                Answer.status(500, "{\"error\":{\"message\":\"boom\"}}", Map.of()))) {
            ModelException e = assertThrows(ModelException.class, () -> chat(server, new ArrayList<>()));
            assertEquals(ModelException.Kind.SERVER_ERROR, e.kind());
            assertTrue(e.getMessage().contains("boom"), e.getMessage());
        }
    }

    @Test
    void aContextLengthErrorIsRecognised() throws Exception {
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(Answer.status(400,
                "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens. However, you requested 9000 tokens.\",\"type\":\"invalid_request_error\"}}",
                Map.of()))) {
            assertEquals(ModelException.Kind.CONTEXT_LENGTH_EXCEEDED,
                    assertThrows(ModelException.class, () -> chat(server, new ArrayList<>())).kind());
        }
    }

    @Test
    void aWrongKeyIsAnAuthenticationErrorThatDoesNotRepeatTheKey() throws Exception {
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(Answer.status(401,
                "{\"error\":{\"message\":\"Incorrect API key provided\"}}", Map.of()))) {
            ModelException e = assertThrows(ModelException.class,
                    () -> provider(server.baseUrl(), Optional.of("sk-very-secret")).chat(REQUEST, d -> { }));
            assertEquals(ModelException.Kind.AUTHENTICATION, e.kind());
            assertFalse(e.getMessage().contains("sk-very-secret"));
        }
    }

    @Test
    void garbageInTheStreamIsAMalformedResponse() throws Exception {
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(Answer.stream(
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"par\"}}]}", "{not json at all"))) {
            assertEquals(ModelException.Kind.MALFORMED_RESPONSE,
                    assertThrows(ModelException.class, () -> chat(server, new ArrayList<>())).kind());
        }
    }

    @Test
    void aStreamThatStopsMidwayIsCut() throws Exception {
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(Answer.stream(
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"The answer is\"}}]}"))) {
            List<ChatDelta> deltas = new ArrayList<>();
            ModelException e = assertThrows(ModelException.class, () -> chat(server, deltas));
            assertEquals(ModelException.Kind.STREAM_CUT, e.kind());
            assertEquals(List.of(new ChatDelta.Text("The answer is")), deltas);
        }
    }

    @Test
    void noServerIsAConnectionRefusedThatSaysWhere() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + port + "/v1/");
        ModelException e = assertThrows(ModelException.class, () -> provider(nowhere, Optional.empty()).chat(REQUEST, d -> { }));
        assertEquals(ModelException.Kind.CONNECTION_REFUSED, e.kind());
        assertTrue(e.getMessage().contains(String.valueOf(port)), e.getMessage());
    }

    @Test
    void modelsAreListed() throws Exception {
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(Answer.status(200,
                "{\"object\":\"list\",\"data\":[{\"id\":\"qwen2.5-coder:7b\",\"object\":\"model\"},{\"id\":\"llama3.2\",\"object\":\"model\"}]}",
                Map.of("Content-Type", "application/json")))) {
            assertEquals(List.of("qwen2.5-coder:7b", "llama3.2"), provider(server.baseUrl(), Optional.empty()).models()
                    .stream().map(m -> m.id()).toList());
            assertEquals("/v1/models", server.received().get(0).path());
        }
    }
}
