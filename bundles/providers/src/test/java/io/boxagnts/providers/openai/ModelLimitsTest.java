package io.boxagnts.providers.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.boxagnts.api.model.ModelInfo;
import io.boxagnts.providers.http.ModelHttp;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The context size and tool ability, read the way each kind of server states them (scripted servers, real HTTP). */
class ModelLimitsTest {

    private static OpenAiCompatibleProvider provider(LocalServerDouble server, ModelLimits.Kind kind, int configured) {
        return new OpenAiCompatibleProvider("local", server.baseUrl(), Optional.empty(), new OpenAiCompatibleProvider.Options(
                new ModelHttp.Timing(Duration.ofSeconds(2), Duration.ofSeconds(5), 0, Duration.ZERO), kind, configured));
    }

    @Test
    void llamaCppSaysItsContextInTheModelListAndItsToolAbilityInProps() throws Exception {
        try (LocalServerDouble llama = LocalServerDouble.llamaCpp(4096).start()) {
            ModelInfo model = provider(llama, ModelLimits.Kind.GENERIC, 0).models().get(0);
            assertEquals(new ModelInfo("local", "qwen2.5-0.5b-instruct-q4_k_m.gguf", 4096, ModelInfo.Support.YES,
                    "llama.cpp /v1/models meta.n_ctx"), model);
        }
    }

    @Test
    void anOlderLlamaCppWithoutMetaIsAskedForItsProps() throws Exception {
        try (LocalServerDouble llama = LocalServerDouble.llamaCpp(4096)
                .json("/v1/models", "{\"object\":\"list\",\"data\":[{\"id\":\"model.gguf\",\"object\":\"model\"}]}").start()) {
            ModelInfo model = provider(llama, ModelLimits.Kind.LLAMACPP, 0).models().get(0);
            assertEquals(4096, model.contextWindow());
            assertEquals("llama.cpp /props", model.limitsFrom());
        }
    }

    @Test
    void ollamasNumCtxParameterIsTheWindowNotTheTrainedLength() throws Exception {
        try (LocalServerDouble ollama = LocalServerDouble.ollama("num_ctx                        4096\\n",
                "{\"models\":[]}").start()) {
            ModelInfo model = provider(ollama, ModelLimits.Kind.OLLAMA, 0).models().get(0);
            assertEquals(new ModelInfo("local", "qwen2.5-coder:0.5b", 4096, ModelInfo.Support.YES, "Ollama num_ctx"), model);
        }
    }

    @Test
    void aLoadedOllamaModelSaysItsContextInPsAndThatWins() throws Exception {
        try (LocalServerDouble ollama = LocalServerDouble.ollama("", "{\"models\":[{\"name\":\"qwen2.5-coder:0.5b\","
                + "\"model\":\"qwen2.5-coder:0.5b\",\"size\":700000000,\"context_length\":4096}]}").start()) {
            // recognised as Ollama from its model list (owned_by library), as a configured provider would be
            ModelInfo model = provider(ollama, ModelLimits.Kind.GENERIC, 0).models().get(0);
            assertEquals(4096, model.contextWindow());
            assertEquals("Ollama /api/ps (loaded)", model.limitsFrom());
        }
    }

    @Test
    void withoutNumCtxOllamasDefaultIsAssumedNotTheTrainedLength() throws Exception {
        try (LocalServerDouble ollama = LocalServerDouble.ollama("", "{\"models\":[]}").start()) {
            ModelInfo model = provider(ollama, ModelLimits.Kind.OLLAMA, 0).models().get(0);
            assertEquals(ModelLimits.OLLAMA_DEFAULT_CONTEXT, model.contextWindow());
            assertEquals("Ollama's default num_ctx (the model was trained for 32768)", model.limitsFrom());
        }
    }

    @Test
    void lmStudioAndVllmSayItInTheirModelLists() throws Exception {
        try (LocalServerDouble lmStudio = new LocalServerDouble()
                .json("/v1/models", "{\"data\":[{\"id\":\"qwen2.5-7b-instruct\",\"object\":\"model\",\"owned_by\":\"organization_owner\"}]}")
                .json("/api/v0/models", "{\"data\":[{\"id\":\"qwen2.5-7b-instruct\",\"type\":\"llm\",\"state\":\"loaded\","
                        + "\"max_context_length\":32768,\"loaded_context_length\":4096,\"capabilities\":[\"tool_use\"]}]}").start();
                LocalServerDouble vllm = new LocalServerDouble().json("/v1/models", "{\"data\":[{\"id\":\"Qwen/Qwen2.5-7B\","
                        + "\"object\":\"model\",\"owned_by\":\"vllm\",\"max_model_len\":4096}]}").start()) {
            ModelInfo studio = provider(lmStudio, ModelLimits.Kind.LMSTUDIO, 0).models().get(0);
            assertEquals(new ModelInfo("local", "qwen2.5-7b-instruct", 4096, ModelInfo.Support.YES,
                    "LM Studio loaded_context_length"), studio);
            assertEquals(4096, provider(vllm, ModelLimits.Kind.VLLM, 0).models().get(0).contextWindow());
        }
    }

    @Test
    void aConfiguredContextSizeWinsAndTheAnswersAreCachedPerModel() throws Exception {
        try (LocalServerDouble llama = LocalServerDouble.llamaCpp(4096).start()) {
            OpenAiCompatibleProvider provider = provider(llama, ModelLimits.Kind.LLAMACPP, 2048);
            assertEquals(2048, provider.model("qwen2.5-0.5b-instruct-q4_k_m.gguf").orElseThrow().contextWindow());
            provider.models();
            provider.models();
            assertEquals(1, llama.paths.stream().filter(p -> p.equals("/props")).count(), llama.paths.toString());
        }
    }
}
