package io.boxagnts.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plain HTTP from the tests to the runtime, as any client would talk to it: with the runtime's access token as
 * {@code Authorization: Bearer}, once a test has told which token a port's runtime uses.
 */
final class Http {

    record Response(int status, String body) {}

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Map<Integer, String> TOKENS = new ConcurrentHashMap<>();

    private Http() {}

    /** From now on, requests to {@code port} carry {@code token}. */
    static void useToken(int port, String token) {
        TOKENS.put(port, token);
    }

    /** The token in a runtime's access-token file. */
    static void useTokenFile(int port, Path file) throws IOException {
        useToken(port, Files.readString(file).trim());
    }

    /**
     * The base URL of a Pax Exam container's server, from its framework properties (the launcher's names); requests
     * to it carry its token from then on.
     */
    static String containerBase(java.util.function.UnaryOperator<String> properties) throws IOException {
        int port = Integer.parseInt(properties.apply("boxagnts.http.port"));
        useTokenFile(port, Path.of(properties.apply("boxagnts.access.token.file")));
        return "http://127.0.0.1:" + port;
    }

    static String token(int port) {
        return TOKENS.get(port);
    }

    /** A request to {@code url} with the token of its port, if any. */
    static HttpRequest.Builder request(String url) {
        URI uri = URI.create(url);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri);
        String token = TOKENS.get(uri.getPort());
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    static Response post(String url, String body) throws IOException, InterruptedException {
        return send(request(url).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static Response get(String url) throws IOException, InterruptedException {
        return send(request(url).timeout(Duration.ofSeconds(10)).GET().build());
    }

    /** Bytes on a socket, as a hostile client sends them; the answer's text, or empty when the server hung up. */
    static String raw(int port, String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (java.net.SocketException | java.net.SocketTimeoutException e) {
            return "";
        }
    }

    static Response send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }
}
