package io.boxagnts.it;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The edge we do not own, as a new user runs it: llama.cpp's {@code llama-server} with a small context, on a port of
 * its own, that may start after BoxAgnts and stop at any time. It speaks llama.cpp's wire: {@code /v1/models} with
 * {@code meta.n_ctx}, {@code /props}, streamed chat completions with usage, and, for a request larger than its
 * context, llama.cpp's 400 {@code exceed_context_size_error}. It has no tokenizer: it counts a prompt the way a
 * Qwen2.5 vocabulary measured on this machine does on English, code and JSON (3.6 bytes per token, plus the chat
 * template's tokens per message and tool), which is close to, but not the same as, the runtime's own estimate.
 */
final class ScriptedLlamaServer implements AutoCloseable {

    static final String MODEL = "qwen2.5-0.5b-instruct-q4_k_m.gguf";

    private final int port;
    private final int nCtx;
    private final Deque<List<String>> chats = new ArrayDeque<>();
    private final List<String> requests = new ArrayList<>();
    private final List<Integer> promptTokens = new ArrayList<>();
    private int rejected;
    private HttpServer server;
    private volatile CountDownLatch stopping = new CountDownLatch(1);

    ScriptedLlamaServer(int nCtx) throws IOException {
        this.nCtx = nCtx;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port + "/v1";
    }

    synchronized ScriptedLlamaServer start() throws IOException {
        stopping = new CountDownLatch(1);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/models", exchange -> send(exchange, 200, "application/json", List.of(
                "{\"models\":[{\"name\":\"" + MODEL + "\",\"model\":\"" + MODEL + "\"}],\"object\":\"list\",\"data\":[{\"id\":\""
                        + MODEL + "\",\"object\":\"model\",\"created\":1764000000,\"owned_by\":\"llamacpp\",\"meta\":{"
                        + "\"vocab_type\":2,\"n_vocab\":151936,\"n_ctx\":" + nCtx + ",\"n_ctx_train\":32768}}]}")));
        server.createContext("/props", exchange -> send(exchange, 200, "application/json", List.of(
                "{\"default_generation_settings\":{\"n_ctx\":" + nCtx + "},\"total_slots\":1,\"chat_template_caps\":"
                        + "{\"supports_tools\":true,\"supports_tool_calls\":true}}")));
        server.createContext("/v1/chat/completions", this::chat);
        server.start();
        return this;
    }

    /** Stops as Ctrl+C would: open streams end where they are. */
    synchronized void stop() {
        if (server != null) {
            stopping.countDown();
            server.stop(0);
            server = null;
        }
    }

    /** Queues the answer to the next chat completion: SSE data payloads, [DONE] added. */
    synchronized ScriptedLlamaServer then(String... chunks) {
        List<String> events = new ArrayList<>();
        for (String chunk : chunks) {
            events.add(chunk.startsWith("\u0000") ? chunk : "data: " + chunk + "\n\n");
        }
        events.add("data: [DONE]\n\n");
        chats.add(events);
        return this;
    }

    ScriptedLlamaServer thenText(String text) {
        return then(delta("{\"content\":" + new JsonPrimitive(text) + "}"), finish("stop"));
    }

    ScriptedLlamaServer thenToolCall(String id, String tool, String argumentsJson) {
        return then(delta("{\"tool_calls\":[{\"index\":0,\"id\":\"" + id + "\",\"type\":\"function\",\"function\":{\"name\":\""
                + tool + "\",\"arguments\":" + new JsonPrimitive(argumentsJson) + "}}]}"), finish("tool_calls"));
    }

    /** An answer the server cuts at its token limit. */
    ScriptedLlamaServer thenCutAtTheLimit(String text) {
        return then(delta("{\"content\":" + new JsonPrimitive(text) + "}"), finish("length"));
    }

    private static String delta(String delta) {
        return "{\"choices\":[{\"index\":0,\"delta\":" + delta + "}]}";
    }

    private static String finish(String reason) {
        return "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"" + reason + "\"}],\"usage\":\u0001}";
    }

    synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    /** Requests refused because they did not fit the context. */
    synchronized int rejected() {
        return rejected;
    }

    /** The prompt size of each request the server took, as it counted it. */
    synchronized List<Integer> promptTokens() {
        return List.copyOf(promptTokens);
    }

    /** The prompt's tokens by this server's count: its messages and tools, the template's framing. */
    static int count(JsonObject request) {
        int tokens = 0;
        for (JsonElement message : request.getAsJsonArray("messages")) {
            tokens += 5 + (int) Math.ceil(message.toString().getBytes(StandardCharsets.UTF_8).length / 3.6);
        }
        if (request.has("tools")) {
            tokens += 120 + (int) Math.ceil(request.get("tools").toString().getBytes(StandardCharsets.UTF_8).length / 3.6);
        }
        return tokens;
    }

    private void chat(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        int tokens = count(JsonParser.parseString(body).getAsJsonObject());
        List<String> answer;
        synchronized (this) {
            requests.add(body);
            if (tokens >= nCtx) {
                rejected++;
                answer = null;
            } else {
                promptTokens.add(tokens);
                answer = chats.poll();
            }
        }
        if (tokens >= nCtx) {
            send(exchange, 400, "application/json; charset=utf-8", List.of("{\"error\":{\"code\":400,\"message\":"
                    + "\"request (" + tokens + " tokens) exceeds the available context size (" + nCtx + " tokens), try "
                    + "increasing it\",\"type\":\"exceed_context_size_error\",\"n_prompt_tokens\":" + tokens
                    + ",\"n_ctx\":" + nCtx + "}}"));
            return;
        }
        if (answer == null) {
            answer = List.of("data: " + delta("{\"content\":\"ok\"}") + "\n\n", "data: " + finish("stop") + "\n\n",
                    "data: [DONE]\n\n");
        }
        String usage = "{\"prompt_tokens\":" + tokens + ",\"completion_tokens\":12,\"total_tokens\":" + (tokens + 12) + "}";
        send(exchange, 200, "text/event-stream", answer.stream().map(p -> p.replace("\u0001", usage)).toList());
    }

    private void send(HttpExchange exchange, int status, String type, List<String> pieces) throws IOException {
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (String piece : pieces) {
                if (piece.startsWith("\u0000sleep ")) {
                    try {
                        if (stopping.await(Long.parseLong(piece.substring(7).strip()), TimeUnit.MILLISECONDS)) {
                            return;
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
            // the runtime went away mid-answer
        }
    }

    @Override
    public void close() {
        stop();
    }
}
