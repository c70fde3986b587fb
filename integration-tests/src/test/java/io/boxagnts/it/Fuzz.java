package io.boxagnts.it;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * Malformed requests for the API, from a seeded random source: every endpoint, with wrong methods, hostile paths and
 * parameters, and bodies that are broken, mistyped, deeply nested, huge or not text at all. Most are authorized, so
 * that they reach the endpoints instead of stopping at the access check.
 */
final class Fuzz {

    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD");

    /** One request to build against a running server. */
    record Request(String method, String path, byte[] body, String contentType, boolean authorized) {
        HttpRequest build(String base, String token) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            if (contentType != null) {
                builder.header("Content-Type", contentType);
            }
            if (authorized) {
                builder.header("Authorization", "Bearer " + token);
            }
            return builder.build();
        }

        @Override
        public String toString() {
            String text = body == null ? "" : new String(body, 0, Math.min(120, body.length), StandardCharsets.UTF_8);
            return method + " " + path + " " + text.replace('\n', ' ');
        }
    }

    private Fuzz() {}

    static Request request(Random random, String session) {
        String path = path(random, session);
        String method = random.nextInt(4) == 0 ? METHODS.get(random.nextInt(METHODS.size()))
                : random.nextBoolean() ? "POST" : "GET";
        byte[] body = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS") ? null : body(random);
        String type = random.nextInt(5) == 0 ? pick(random, "text/plain", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/json; charset=utf-16") : "application/json";
        return new Request(method, path, body, type, random.nextInt(10) != 0);
    }

    private static String path(Random random, String session) {
        String id = random.nextInt(3) == 0 ? segment(random) : session;
        String tool = pick(random, "read_file", "write_file", "edit_file", "grep", "glob", "list_dir", segment(random));
        String path = pick(random,
                "/api/health", "/api/tools", "/api/tools/" + tool + "/invoke", "/api/tools/" + tool,
                "/api/sessions", "/api/sessions/" + id, "/api/sessions/" + id + "/messages",
                "/api/sessions/" + id + "/approvals/" + segment(random), "/api/sessions/" + id + "/cancel",
                "/api/sessions/" + id + "/rename", "/api/sessions/" + id + "/export?format=" + segment(random),
                "/api/providers", "/api/providers/" + segment(random) + "/test",
                "/api/providers/configured/" + segment(random),
                "/api/workspace/list?path=" + segment(random), "/api/workspace/file?path=" + segment(random),
                "/api/workspace/" + segment(random), "/api/" + segment(random), "/" + segment(random));
        if (random.nextInt(8) == 0) {
            path += "/" + segment(random);
        }
        return path;
    }

    /** A path segment or parameter, often hostile, always a legal URI character sequence. */
    private static String segment(Random random) {
        return pick(random, "..", "%2e%2e", "..%2f..%2fetc%2fpasswd", "%00", "%ff%fe", "a".repeat(random.nextInt(3000)),
                "README.md", "../../../../etc/passwd", "%2F", "x%20y", "%E2%80%AE", "null", "-1", "0",
                "20260101-000000-00000000", "CON", ".", "~", "%25", Integer.toString(random.nextInt()));
    }

    private static byte[] body(Random random) {
        String text = switch (random.nextInt(14)) {
            case 0 -> "";
            case 1 -> "{";
            case 2 -> "[" .repeat(random.nextInt(100_000));
            case 3 -> "{\"text\":" + pick(random, "{}", "[]", "null", "1e999", "true", "\"\"", "\"" + "x".repeat(300_000) + "\"") + "}";
            case 4 -> "{\"title\":" + pick(random, "{}", "[1,2]", "null", "-0", "\"\\ud800\"") + "}";
            case 5 -> "{\"approved\":" + pick(random, "\"yes\"", "{}", "1", "null") + ",\"forSession\":[]}";
            case 6 -> "{\"path\":" + pick(random, "\"../../etc/passwd\"", "\"/etc/passwd\"", "1", "{}", "\"\\u0000\"") + ",\"content\":" + pick(random, "\"x\"", "[]", "null") + "}";
            case 7 -> "{\"pattern\":\"" + pick(random, "(a+)+$", "[", "\\\\", "*", ".*".repeat(1000)) + "\"}";
            case 8 -> "{\"type\":" + pick(random, "\"openai\"", "\"x\"", "1") + ",\"baseUrl\":" + pick(random, "\"file:///etc\"", "\"javascript:alert(1)\"", "\"http://127.0.0.1:1/v1\"", "{}") + "}";
            case 9 -> "{\"a\":1,\"a\":2," + "\"b\":{".repeat(random.nextInt(500)) + "}";
            case 10 -> "\"just a string\"";
            case 11 -> "{\"text\":\"hi\",\"mode\":" + pick(random, "\"yolo\"", "1", "null") + ",\"allow\":" + pick(random, "\"x\"", "[{}]", "[1]") + "}";
            case 12 -> "{\"text\":\"hi\",\"provider\":\"" + pick(random, "nope", "", "\\u0000") + "\"}";
            default -> null;
        };
        if (text != null) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        byte[] noise = new byte[random.nextInt(4096)];
        random.nextBytes(noise);
        return noise;
    }

    /** A request written by hand onto the socket: broken request lines, headers and framing. */
    static String rawRequest(Random random, int port, String token) {
        String host = "Host: 127.0.0.1:" + port + "\r\n";
        String auth = "Authorization: Bearer " + token + "\r\n";
        return switch (random.nextInt(10)) {
            case 0 -> "GARBAGE\r\n\r\n";
            case 1 -> "GET /api/health HTTP/9.9\r\n" + host + "\r\n";
            case 2 -> "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\n" + host + "\r\n";
            case 3 -> "POST /api/sessions HTTP/1.1\r\n" + host + auth + "Content-Length: -5\r\n\r\n{}";
            case 4 -> "POST /api/sessions HTTP/1.1\r\n" + host + auth + "Content-Length: 10\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n";
            case 5 -> "GET /api/health HTTP/1.1\r\n" + host + "X-Big: " + "b".repeat(70_000) + "\r\n\r\n";
            case 6 -> "GET /api/sessions HTTP/1.1\r\n" + host + host + auth + "\r\n";
            case 7 -> "POST /api/sessions HTTP/1.1\r\n" + host + auth + "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFF\r\n";
            case 8 -> pick(random, "GET /api/health\u0000 HTTP/1.1\r\n" + host + "\r\n",
                    "GET /api/workspace/file?path=%u0000%zz HTTP/1.1\r\n" + host + auth + "\r\n",
                    "GET /api/sessions/%zz/export HTTP/1.1\r\n" + host + auth + "\r\n");
            default -> "GET /api/health HTTP/1.1\r\nHost: \u00ff\u00fe\r\n" + auth + "\r\n";
        };
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... options) {
        return options[random.nextInt(options.length)];
    }
}
