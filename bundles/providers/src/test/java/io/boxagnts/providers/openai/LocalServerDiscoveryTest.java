package io.boxagnts.providers.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.boxagnts.api.model.ModelServer;
import io.boxagnts.providers.openai.ScriptedOpenAiServer.Answer;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalServerDiscoveryTest {

    @Test
    void aRunningServerIsFoundWithItsModels() throws Exception {
        try (ScriptedOpenAiServer ollama = new ScriptedOpenAiServer(Answer.status(200,
                "{\"object\":\"list\",\"data\":[{\"id\":\"qwen2.5-coder:7b\",\"object\":\"model\",\"owned_by\":\"library\"}]}",
                Map.of("Content-Type", "application/json")))) {
            ModelServer server = LocalServerDiscovery.probe(
                    new LocalServerDiscovery.Preset("ollama", ollama.baseUrl(), "start Ollama"));
            assertTrue(server.reachable());
            assertEquals(List.of("qwen2.5-coder:7b"), server.models());
        }
    }

    @Test
    void aServerThatIsNotRunningSaysHowToStartIt() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ModelServer server = LocalServerDiscovery.probe(new LocalServerDiscovery.Preset("llamacpp",
                URI.create("http://127.0.0.1:" + port + "/v1/"), "start llama.cpp's server ('llama-server -m model.gguf')"));
        assertFalse(server.reachable());
        assertTrue(server.detail().contains("connection refused") && server.detail().contains("llama-server"),
                server.detail());
    }

    @Test
    void thePresetsAreTheDefaultPortsOfTheServersUsersRun() {
        assertEquals(List.of("ollama 11434", "llamacpp 8080", "llamacpp-9931 9931", "lmstudio 1234", "vllm 8000"),
                LocalServerDiscovery.PRESETS.stream().map(p -> p.id() + " " + p.baseUrl().getPort()).toList());
    }
}
