package io.boxagnts.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The edge we do not own: an OpenAI-compatible model server on loopback that lists one model and answers each chat
 * completion with the next scripted stream of SSE chunks, as llama.cpp or Ollama send them. Records the chat requests.
 */
final class ScriptedModelServer implements AutoCloseable {

    private final HttpServer server;
    private final Deque<List<String>> chats = new ArrayDeque<>();
    private final List<String> requests = new ArrayList<>();

    ScriptedModelServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/models", exchange -> send(exchange, 200, "application/json",
                List.of("{\"object\":\"list\",\"data\":[{\"id\":\"scripted-model\",\"object\":\"model\"}]}")));
        server.createContext("/v1/chat/completions", this::chat);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Queues the answer to the next chat completion: SSE data payloads, [DONE] added. */
    synchronized ScriptedModelServer then(String... chunks) {
        List<String> events = new ArrayList<>();
        for (String chunk : chunks) {
            events.add("data: " + chunk + "\n\n");
        }
        events.add("data: [DONE]\n\n");
        chats.add(events);
        return this;
    }

    ScriptedModelServer thenToolCall(String id, String tool, String argumentsJson) {
        int half = argumentsJson.length() / 2; // split the raw text, as servers do, then escape each piece
        String first = escape(argumentsJson.substring(0, half));
        String second = escape(argumentsJson.substring(half));
        return then(
                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"" + id
                        + "\",\"type\":\"function\",\"function\":{\"name\":\"" + tool + "\",\"arguments\":\""
                        + first + "\"}}]}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\""
                        + second + "\"}}]}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":9}}");
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    ScriptedModelServer thenText(String text) {
        return then("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":80,\"completion_tokens\":7}}");
    }

    /** An answer streamed in the given pieces (any text: each is JSON-escaped), then stop. */
    ScriptedModelServer thenTextChunks(String... pieces) {
        List<String> chunks = new ArrayList<>();
        for (String piece : pieces) {
            chunks.add("{\"choices\":[{\"index\":0,\"delta\":{\"content\":" + new com.google.gson.JsonPrimitive(piece)
                    + "}}]}");
        }
        chunks.add("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":40}}");
        return then(chunks.toArray(String[]::new));
    }

    /** A long answer, one word per chunk, each after {@code delayMs}: time enough to kill a runtime mid-stream. */
    synchronized ScriptedModelServer thenSlowText(int words, long delayMs) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < words; i++) {
            events.add("\u0000sleep " + delayMs);
            events.add("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word" + i + " \"}}]}\n\n");
        }
        events.add("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
        events.add("data: [DONE]\n\n");
        chats.add(events);
        return this;
    }

    synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    private void chat(HttpExchange exchange) throws IOException {
        List<String> answer;
        synchronized (this) {
            requests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer = chats.poll();
        }
        if (answer == null) {
            send(exchange, 500, "application/json", List.of("{\"error\":{\"message\":\"the script is exhausted\"}}"));
        } else {
            send(exchange, 200, "text/event-stream", answer);
        }
    }

    private static void send(HttpExchange exchange, int status, String type, List<String> pieces) throws IOException {
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (String piece : pieces) {
                if (piece.startsWith("\u0000sleep ")) {
                    try {
                        Thread.sleep(Long.parseLong(piece.substring(7)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    continue;
                }
                out.write(piece.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
