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

/** The edge we do not own, Anthropic's side: a Messages API server on loopback answering from a script. */
final class ScriptedAnthropicServer implements AutoCloseable {

    private final HttpServer server;
    private final Deque<List<String>> answers = new ArrayDeque<>();
    private final List<String> requests = new ArrayList<>();

    ScriptedAnthropicServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/messages", this::messages);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private static String event(String type, String data) {
        return "event: " + type + "\ndata: " + data + "\n\n";
    }

    synchronized ScriptedAnthropicServer thenToolUse(String id, String tool, String inputJson) {
        String escaped = inputJson.replace("\\", "\\\\").replace("\"", "\\\"");
        answers.add(List.of(
                event("message_start", "{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":30,\"output_tokens\":1}}}"),
                event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"" + id + "\",\"name\":\"" + tool + "\",\"input\":{}}}"),
                event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"" + escaped + "\"}}"),
                event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":12}}"),
                event("message_stop", "{\"type\":\"message_stop\"}")));
        return this;
    }

    synchronized ScriptedAnthropicServer thenText(String text) {
        answers.add(List.of(
                event("message_start", "{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":60,\"output_tokens\":1}}}"),
                event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text + "\"}}"),
                event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":8}}"),
                event("message_stop", "{\"type\":\"message_stop\"}")));
        return this;
    }

    synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    private void messages(HttpExchange exchange) throws IOException {
        List<String> answer;
        synchronized (this) {
            requests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer = answers.poll();
        }
        int status = answer == null ? 500 : 200;
        exchange.getResponseHeaders().add("Content-Type", answer == null ? "application/json" : "text/event-stream");
        exchange.sendResponseHeaders(status, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (String piece : answer == null ? List.of("{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"script exhausted\"}}") : answer) {
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
