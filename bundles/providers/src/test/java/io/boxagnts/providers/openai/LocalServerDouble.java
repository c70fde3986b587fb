package io.boxagnts.providers.openai;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The edge we do not own, as people run it: a local model server on loopback answering by path, with the bodies
 * llama.cpp's llama-server or Ollama send (their model lists, {@code /props}, {@code /api/show}, {@code /api/ps}), that
 * can be stopped and started again on the same port. A body piece {@code "\u0000sleep N"} pauses N ms mid-answer.
 */
final class LocalServerDouble implements AutoCloseable {

    record Answer(int status, String type, List<String> pieces) {}

    private final int port;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    final List<String> paths = new CopyOnWriteArrayList<>();
    private HttpServer server;
    /** Released when the server stops: a sleeping answer ends then, as a killed server's would. */
    private volatile CountDownLatch stopping = new CountDownLatch(1);

    LocalServerDouble() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
    }

    /** A llama-server with a 4,096-token context, as its /v1/models and /props say it. */
    static LocalServerDouble llamaCpp(int nCtx) throws IOException {
        return new LocalServerDouble()
                .json("/v1/models", "{\"models\":[{\"name\":\"qwen2.5-0.5b-instruct-q4_k_m.gguf\"}],\"object\":\"list\","
                        + "\"data\":[{\"id\":\"qwen2.5-0.5b-instruct-q4_k_m.gguf\",\"object\":\"model\",\"created\":1764000000,"
                        + "\"owned_by\":\"llamacpp\",\"meta\":{\"vocab_type\":2,\"n_vocab\":151936,\"n_ctx\":" + nCtx
                        + ",\"n_ctx_train\":32768,\"n_embd\":896,\"n_params\":494032768,\"size\":397808192}}]}")
                .json("/props", "{\"default_generation_settings\":{\"n_ctx\":" + nCtx + ",\"params\":{}},\"total_slots\":1,"
                        + "\"chat_template_caps\":{\"supports_tools\":true,\"supports_tool_calls\":true,"
                        + "\"supports_system_role\":true,\"supports_parallel_tool_calls\":true}}");
    }

    /** An Ollama whose model is trained for 32,768 tokens but runs with num_ctx 4096 (a Modelfile parameter). */
    static LocalServerDouble ollama(String numCtxParameter, String psBody) throws IOException {
        return new LocalServerDouble()
                .json("/v1/models", "{\"object\":\"list\",\"data\":[{\"id\":\"qwen2.5-coder:0.5b\",\"object\":\"model\","
                        + "\"created\":1764000000,\"owned_by\":\"library\"}]}")
                .json("/api/show", "{\"modelfile\":\"FROM qwen2.5-coder\",\"parameters\":\"" + numCtxParameter
                        + "stop                           \\\"<|im_end|>\\\"\",\"template\":\"...\",\"details\":{\"family\":\"qwen2\"},"
                        + "\"model_info\":{\"general.architecture\":\"qwen2\",\"qwen2.context_length\":32768,"
                        + "\"qwen2.embedding_length\":896},\"capabilities\":[\"completion\",\"tools\",\"insert\"]}")
                .json("/api/ps", psBody);
    }

    LocalServerDouble json(String path, String body) {
        answers.put(path, new Answer(200, "application/json", List.of(body)));
        return this;
    }

    LocalServerDouble answer(String path, Answer answer) {
        answers.put(path, answer);
        return this;
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port + "/v1/");
    }

    int port() {
        return port;
    }

    synchronized LocalServerDouble start() throws IOException {
        stopping = new CountDownLatch(1);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor()); // a sleeping answer must not block the others
        server.createContext("/", this::answer);
        server.start();
        return this;
    }

    synchronized void stop() {
        if (server != null) {
            stopping.countDown();
            server.stop(0);
            server = null;
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        paths.add(path);
        Answer answer = answers.getOrDefault(path, new Answer(404, "application/json",
                List.of("{\"error\":{\"code\":404,\"message\":\"File Not Found\",\"type\":\"not_found_error\"}}")));
        exchange.getResponseHeaders().add("Content-Type", answer.type());
        exchange.sendResponseHeaders(answer.status(), 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (String piece : answer.pieces()) {
                if (piece.startsWith("\u0000sleep ")) {
                    try {
                        if (stopping.await(Long.parseLong(piece.substring(7)), TimeUnit.MILLISECONDS)) {
                            return; // stopped while silent: the connection just ends
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    continue;
                }
                out.write(piece.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            // the client went away (an idle timeout closed it): nothing to answer
        }
    }

    @Override
    public void close() {
        stop();
    }
}
