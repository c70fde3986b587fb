package io.boxagnts.providers.openai;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * A test double for the edge we do not own: an HTTP server on loopback that answers each request with the next
 * scripted response, byte for byte as OpenAI-compatible servers send them (SSE chunks, error bodies, headers), and
 * records what it was sent.
 */
public final class ScriptedOpenAiServer implements AutoCloseable {

    /** One scripted answer: status, headers, and the body in the pieces it is flushed in. */
    public record Answer(int status, Map<String, String> headers, List<String> pieces) {

        public static Answer stream(String... events) {
            List<String> pieces = new ArrayList<>();
            for (String event : events) {
                pieces.add("data: " + event + "\n\n");
            }
            return new Answer(200, Map.of("Content-Type", "text/event-stream"), pieces);
        }

        public static Answer status(int status, String body, Map<String, String> headers) {
            return new Answer(status, headers, List.of(body));
        }
    }

    public record Received(String path, Map<String, List<String>> headers, String body) {}

    private final HttpServer server;
    private final Deque<Answer> answers = new ArrayDeque<>();
    private final List<Received> received = new ArrayList<>();

    public ScriptedOpenAiServer(Answer... script) throws IOException {
        answers.addAll(List.of(script));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/");
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    private void answer(HttpExchange exchange) throws IOException {
        Answer answer;
        synchronized (this) {
            received.add(new Received(exchange.getRequestURI().getPath(), exchange.getRequestHeaders(),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            answer = answers.isEmpty() ? Answer.status(500, "{\"error\":{\"message\":\"script exhausted\"}}", Map.of())
                    : answers.poll();
        }
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.sendResponseHeaders(answer.status(), 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (String piece : answer.pieces()) {
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
