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
 * <p>
 * {@link #ollama} is the same engine as Ollama serves it: its model list ({@code owned_by: library}), the context in
 * {@code /api/show}'s {@code num_ctx} parameter (the model was trained for more) and, once a request loaded the
 * model, in {@code /api/ps}; and a request larger than the context is not refused but silently cut to fit (Ollama
 * keeps the end of the prompt), which {@link #truncated} counts.
 */
final class ScriptedLlamaServer implements AutoCloseable {

    static final String MODEL = "qwen2.5-0.5b-instruct-q4_k_m.gguf";
    static final String OLLAMA_MODEL = "qwen2.5-coder:0.5b";

    private final int port;
    private final int nCtx;
    private final boolean ollama;
    private volatile boolean loaded;
    private int truncated;
    private final Deque<List<String>> chats = new ArrayDeque<>();
    private final List<String> requests = new ArrayList<>();
    private final List<Integer> promptTokens = new ArrayList<>();
    private int rejected;
    /** When set, requests without tools (the runtime's summary requests) get this answer instead of the next queued. */
    private String summary;
    private int summaries;
    private HttpServer server;
    private volatile CountDownLatch stopping = new CountDownLatch(1);

    ScriptedLlamaServer(int nCtx) throws IOException {
        this(nCtx, false);
    }

    /** An Ollama running its model with {@code num_ctx} set to {@code numCtx} (a Modelfile parameter). */
    static ScriptedLlamaServer ollama(int numCtx) throws IOException {
        return new ScriptedLlamaServer(numCtx, true);
    }

    private ScriptedLlamaServer(int nCtx, boolean ollama) throws IOException {
        this.nCtx = nCtx;
        this.ollama = ollama;
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
        if (ollama) {
            ollamaEndpoints(server);
        } else {
            llamaCppEndpoints(server);
        }
        server.createContext("/v1/chat/completions", this::chat);
        server.start();
        return this;
    }

    private void llamaCppEndpoints(HttpServer server) {
        server.createContext("/v1/models", exchange -> send(exchange, 200, "application/json", List.of(
                "{\"models\":[{\"name\":\"" + MODEL + "\",\"model\":\"" + MODEL + "\"}],\"object\":\"list\",\"data\":[{\"id\":\""
                        + MODEL + "\",\"object\":\"model\",\"created\":1764000000,\"owned_by\":\"llamacpp\",\"meta\":{"
                        + "\"vocab_type\":2,\"n_vocab\":151936,\"n_ctx\":" + nCtx + ",\"n_ctx_train\":32768}}]}")));
        server.createContext("/props", exchange -> send(exchange, 200, "application/json", List.of(
                "{\"default_generation_settings\":{\"n_ctx\":" + nCtx + "},\"total_slots\":1,\"chat_template_caps\":"
                        + "{\"supports_tools\":true,\"supports_tool_calls\":true}}")));
    }

    private void ollamaEndpoints(HttpServer server) {
        server.createContext("/v1/models", exchange -> send(exchange, 200, "application/json", List.of(
                "{\"object\":\"list\",\"data\":[{\"id\":\"" + OLLAMA_MODEL + "\",\"object\":\"model\",\"created\":"
                        + "1764000000,\"owned_by\":\"library\"}]}")));
        server.createContext("/api/show", exchange -> send(exchange, 200, "application/json; charset=utf-8", List.of(
                "{\"license\":\"Apache License\",\"modelfile\":\"FROM qwen2.5-coder:0.5b\\nPARAMETER num_ctx " + nCtx
                        + "\\n\",\"parameters\":\"num_ctx                        " + nCtx + "\\nstop                           "
                        + "\\\"<|im_end|>\\\"\",\"template\":\"{{- if .Messages }}...\",\"details\":{\"parent_model\":\"\","
                        + "\"format\":\"gguf\",\"family\":\"qwen2\",\"families\":[\"qwen2\"],\"parameter_size\":\"494.03M\","
                        + "\"quantization_level\":\"Q4_K_M\"},\"model_info\":{\"general.architecture\":\"qwen2\","
                        + "\"qwen2.context_length\":32768,\"qwen2.embedding_length\":896},\"capabilities\":"
                        + "[\"completion\",\"tools\",\"insert\"],\"modified_at\":\"2026-11-20T10:00:00Z\"}")));
        server.createContext("/api/ps", exchange -> send(exchange, 200, "application/json; charset=utf-8", List.of(
                loaded ? "{\"models\":[{\"name\":\"" + OLLAMA_MODEL + "\",\"model\":\"" + OLLAMA_MODEL + "\",\"size\":"
                        + "492523008,\"details\":{\"format\":\"gguf\",\"family\":\"qwen2\"},\"expires_at\":"
                        + "\"2026-11-27T08:15:34Z\",\"size_vram\":0,\"context_length\":" + nCtx + "}]}"
                        : "{\"models\":[]}")));
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

    /**
     * Answers the requests that offer no tools, which are the runtime's requests to summarise the conversation, with
     * this text, so a scripted session's queue stays in step however often the runtime summarises.
     */
    synchronized ScriptedLlamaServer summariesAnswered(String text) {
        summary = text;
        return this;
    }

    /** Summary requests answered by {@link #summariesAnswered}. */
    synchronized int summaries() {
        return summaries;
    }

    synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    /** Requests an Ollama took although they did not fit its context: the model saw only their end. */
    synchronized int truncated() {
        return truncated;
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
        JsonObject request = JsonParser.parseString(body).getAsJsonObject();
        int tokens = count(request);
        List<String> answer;
        boolean refused = tokens >= nCtx && !ollama;
        synchronized (this) {
            requests.add(body);
            loaded = true;
            if (refused) {
                rejected++;
                answer = null;
            } else if (tokens >= nCtx) {
                truncated++; // Ollama: no error, the model reads the last num_ctx tokens of the prompt
                promptTokens.add(nCtx);
                answer = chats.poll();
            } else if (summary != null && !request.has("tools")) {
                promptTokens.add(tokens);
                summaries++;
                answer = List.of("data: " + delta("{\"content\":" + new JsonPrimitive(summary) + "}") + "\n\n",
                        "data: " + finish("stop") + "\n\n", "data: [DONE]\n\n");
            } else {
                promptTokens.add(tokens);
                answer = chats.poll();
            }
        }
        if (refused) {
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
        tokens = Math.min(tokens, nCtx);
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
