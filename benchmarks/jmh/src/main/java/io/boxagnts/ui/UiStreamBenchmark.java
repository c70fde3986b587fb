package io.boxagnts.ui;

import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What the web UI costs on top of the API, end to end: the same streamed turn (N text deltas from a model server that
 * answers instantly) read by a plain HTTP client (the reference) and shown by the UI in headless Chromium, send to
 * "Done" on screen; and the time to open a long session. Prints a Markdown table.
 * Usage: benchmarks/ui-stream.sh [words=2000] [runs=7]
 */
public final class UiStreamBenchmark {

    private UiStreamBenchmark() {}

    public static void main(String[] args) throws Exception {
        int words = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Path dist = Path.of(System.getProperty("boxagnts.dist"));
        Path work = Files.createTempDirectory("boxagnts-ui-bench");
        String token = "bench-" + "0123456789abcdef".repeat(3);
        Path tokenFile = Files.writeString(work.resolve("token"), token);
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        HttpServer model = modelServer(words);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String base = "http://127.0.0.1:" + port;
        Process runtime = new ProcessBuilder(dist.resolve("bin/boxagnts").toString(),
                "--workspace-dir", Files.createDirectories(work.resolve("ws")).toString(),
                "--data-dir", work.resolve("data").toString(), "--plugins-dir", Files.createDirectories(work.resolve("plugins")).toString(),
                "--port", Integer.toString(port), "--access-token-file", tokenFile.toString(),
                "--model-url", "http://127.0.0.1:" + model.getAddress().getPort() + "/v1")
                .redirectErrorStream(true).redirectOutput(work.resolve("log").toFile()).start();
        HttpClient client = HttpClient.newHttpClient();
        ChromeDriver browser = null;
        try {
            awaitHealth(client, base, token);
            List<Long> reference = new ArrayList<>();
            String lastSession = null;
            for (int i = 0; i < runs + 2; i++) { // two warm-up turns each
                lastSession = session(client, base, token);
                long t0 = System.nanoTime();
                streamTurn(client, base, token, lastSession);
                if (i >= 2) {
                    reference.add((System.nanoTime() - t0) / 1_000_000);
                }
            }
            browser = chromium(work.resolve("profile"));
            browser.get(base + "/?token=" + token);
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> !d.findElements(By.cssSelector("#prompt")).isEmpty());
            List<Long> ui = new ArrayList<>();
            for (int i = 0; i < runs + 2; i++) {
                ui.add(uiTurn(browser));
            }
            ui = ui.subList(2, ui.size());
            List<Long> open = new ArrayList<>();
            String longSession = session(client, base, token);
            for (int i = 0; i < 20; i++) {
                streamTurn(client, base, token, longSession);
            }
            int events = JsonParser.parseString(get(client, base + "/api/sessions/" + longSession, token))
                    .getAsJsonObject().getAsJsonArray("events").size();
            for (int i = 0; i < runs; i++) {
                open.add(openSession(browser, i % 2 == 0 ? longSession : lastSession, i % 2 == 0 ? 20 : 1));
            }
            List<Long> openLong = new ArrayList<>();
            for (int i = 0; i < open.size(); i += 2) {
                openLong.add(open.get(i));
            }
            System.out.printf("| measure (runs) | median | range |%n|---|---|---|%n");
            row("turn of " + words + " deltas, read over HTTP (reference)", reference);
            row("the same turn in the UI, send -> Done on screen", ui);
            System.out.printf("| ratio UI / reference | %.2f | - |%n", (double) median(ui) / median(reference));
            row("open a session of 20 turns (" + events + " events, " + 20 * words + " words)", openLong);
            System.out.printf("%njava %s, %s%n", Runtime.version(), browser.getCapabilities().getBrowserVersion());
        } finally {
            if (browser != null) {
                browser.quit();
            }
            runtime.destroy();
            model.stop(0);
        }
    }

    /** An OpenAI-compatible server that streams {@code words} one-word deltas without a pause, then stops. */
    private static HttpServer modelServer(int words) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/models", exchange -> send(exchange, "application/json",
                "{\"object\":\"list\",\"data\":[{\"id\":\"bench\",\"object\":\"model\"}]}"));
        StringBuilder stream = new StringBuilder();
        for (int i = 0; i < words; i++) {
            stream.append("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"w").append(i)
                    .append(i % 12 == 11 ? "\\n\\n" : " ").append("\"}}]}\n\n");
        }
        stream.append("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":").append(words).append("}}\n\ndata: [DONE]\n\n");
        String body = stream.toString();
        server.createContext("/v1/chat/completions", exchange -> send(exchange, "text/event-stream", body));
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return server;
    }

    private static void send(HttpExchange exchange, String type, String body) throws IOException {
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void awaitHealth(HttpClient client, String base, String token) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (get(client, base + "/api/health", token).contains("\"READY\"")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the runtime did not start; see its log");
    }

    private static String session(HttpClient client, String base, String token) throws Exception {
        HttpResponse<String> created = client.send(request(base + "/api/sessions", token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"bench\"}")).build(), HttpResponse.BodyHandlers.ofString());
        return JsonParser.parseString(created.body()).getAsJsonObject().get("id").getAsString();
    }

    /** Reads the turn's event stream to its end, as a script would. */
    private static void streamTurn(HttpClient client, String base, String token, String session) throws Exception {
        HttpResponse<java.io.InputStream> response = client.send(request(base + "/api/sessions/" + session + "/messages", token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"write\"}")).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.equals("event: TurnFinished")) {
                    return;
                }
            }
        }
        throw new IllegalStateException("the turn ended without TurnFinished");
    }

    /** A new session, a message sent, until its Done line is on screen; measured inside the page. */
    private static long uiTurn(ChromeDriver browser) {
        browser.findElement(By.id("new-session")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.findElements(By.cssSelector(".message, .turn-end")).isEmpty()
                && d.findElement(By.cssSelector(".chat-header h2")).getText().equals("New session"));
        browser.findElement(By.id("prompt")).sendKeys("write");
        Object millis = browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const transcript = document.getElementById('transcript');
                const t0 = performance.now();
                new MutationObserver((changes, observer) => {
                  if (transcript.querySelector('.turn-end')) { observer.disconnect(); done(performance.now() - t0); }
                }).observe(transcript, {childList: true, subtree: true});
                document.getElementById('send').click();
                """);
        return Math.round(((Number) millis).doubleValue());
    }

    /** Switching to the session until its last turn's Done line is on screen; measured inside the page. */
    private static long openSession(ChromeDriver browser, String session, int turns) {
        Object millis = browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const [session, turns] = [arguments[0], arguments[1]];
                const transcript = document.getElementById('transcript');
                const t0 = performance.now();
                new MutationObserver((changes, observer) => {
                  if (transcript.querySelectorAll('.turn-end').length === turns) {
                    observer.disconnect();
                    done(performance.now() - t0);
                  }
                }).observe(transcript, {childList: true, subtree: true});
                location.hash = '#chat/' + session;
                """, session, turns);
        return Math.round(((Number) millis).doubleValue());
    }

    private static ChromeDriver chromium(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,800", "--user-data-dir=" + profile);
        options.setScriptTimeout(Duration.ofSeconds(120));
        return new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver")).usingAnyFreePort().build(), options);
    }

    private static HttpRequest.Builder request(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(120));
    }

    private static String get(HttpClient client, String url, String token) throws Exception {
        return client.send(request(url, token).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static void row(String label, List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        System.out.printf("| %s (%d) | %d ms | %d-%d ms |%n", label, values.size(), median(values), sorted.get(0),
                sorted.get(sorted.size() - 1));
    }
}
