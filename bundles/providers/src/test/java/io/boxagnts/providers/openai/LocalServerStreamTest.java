package io.boxagnts.providers.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.boxagnts.api.model.ChatDelta;
import io.boxagnts.api.model.ChatMessage;
import io.boxagnts.api.model.ChatRequest;
import io.boxagnts.api.model.ChatResponse;
import io.boxagnts.api.model.ModelException;
import io.boxagnts.providers.http.ModelHttp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a stream from a local server ends when it does not end well: silence, a server that dies, a cut answer. */
class LocalServerStreamTest {

    private static final ChatRequest REQUEST = new ChatRequest("m", List.of(ChatMessage.user("hi")), List.of(), 0);

    private static String chunk(String text) {
        return "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"}}]}\n\n";
    }

    private static OpenAiCompatibleProvider provider(LocalServerDouble server, Duration idle) {
        return new OpenAiCompatibleProvider("llamacpp", server.baseUrl(), Optional.empty(), new OpenAiCompatibleProvider.Options(
                new ModelHttp.Timing(Duration.ofSeconds(2), Duration.ofSeconds(30), 0, Duration.ZERO, idle),
                ModelLimits.Kind.LLAMACPP, 0));
    }

    @Test
    void aStreamThatGoesSilentAfterItsFirstTokensEndsWithAClearTimeout() throws Exception {
        try (LocalServerDouble server = new LocalServerDouble().answer("/v1/chat/completions",
                new LocalServerDouble.Answer(200, "text/event-stream", List.of(chunk("Hello"), chunk(" there"),
                        "\u0000sleep 30000", chunk("never"))))
                .start()) {
            List<ChatDelta> deltas = new ArrayList<>();
            ModelException e = assertThrows(ModelException.class,
                    () -> provider(server, Duration.ofMillis(300)).chat(REQUEST, deltas::add));
            assertEquals(ModelException.Kind.TIMEOUT, e.kind());
            assertTrue(e.getMessage().contains("went silent"), e.getMessage());
            assertEquals(2, deltas.size());
            assertEquals(2, e.usage().outputTokens(), "what streamed counts");
        }
    }

    @Test
    void aServerThatDiesMidStreamIsACutStreamThatCountsWhatCame() throws Exception {
        try (LocalServerDouble server = new LocalServerDouble().answer("/v1/chat/completions",
                new LocalServerDouble.Answer(200, "text/event-stream", List.of(chunk("one"), chunk(" two"), chunk(" three"))))
                .start()) {
            ModelException e = assertThrows(ModelException.class,
                    () -> provider(server, Duration.ofSeconds(20)).chat(REQUEST, d -> { }));
            assertEquals(ModelException.Kind.STREAM_CUT, e.kind());
            assertEquals(3, e.usage().outputTokens());
        }
    }

    @Test
    void anAnswerCutAtTheTokenLimitSaysLength() throws Exception {
        try (LocalServerDouble server = new LocalServerDouble().answer("/v1/chat/completions",
                new LocalServerDouble.Answer(200, "text/event-stream", List.of(chunk("The first"),
                        "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}],"
                                + "\"usage\":{\"prompt_tokens\":3900,\"completion_tokens\":196}}\n\n", "data: [DONE]\n\n")))
                .start()) {
            ChatResponse response = provider(server, Duration.ofSeconds(20)).chat(REQUEST, d -> { });
            assertEquals(ChatResponse.FinishReason.LENGTH, response.finishReason());
            assertEquals(3900, response.usage().inputTokens());
        }
    }

    @Test
    void llamaCppsContextOverflowIsContextLengthExceeded() throws Exception {
        try (LocalServerDouble server = new LocalServerDouble().answer("/v1/chat/completions",
                new LocalServerDouble.Answer(400, "application/json; charset=utf-8", List.of("{\"error\":{\"code\":400,"
                        + "\"message\":\"request (9909 tokens) exceeds the available context size (4096 tokens), try "
                        + "increasing it\",\"type\":\"exceed_context_size_error\",\"n_prompt_tokens\":9909,\"n_ctx\":4096}}")))
                .start()) {
            ModelException e = assertThrows(ModelException.class,
                    () -> provider(server, Duration.ofSeconds(20)).chat(REQUEST, d -> { }));
            assertEquals(ModelException.Kind.CONTEXT_LENGTH_EXCEEDED, e.kind());
            assertTrue(e.getMessage().contains("request (9909 tokens) exceeds the available context size (4096 tokens)"),
                    e.getMessage());
        }
    }
}
