package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/** What the runtime says while it starts, and after a start that ended in a JVM crash. */
public class StartupIT {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private record Answer(String path, int status, String contentType, String body) {}

    @Test
    public void fromItsFirstAnswerTheServerTellsTheTruthInJson() throws Exception {
        try (TestRuntime runtime = TestRuntime.prepare("boxagnts-startup-it")) {
            // The user's own token: known before the start, so requests can carry it from the first moment.
            String token = "t".repeat(48);
            Path tokenFile = Files.writeString(runtime.root().resolve("token"), token);
            Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
            Http.useToken(runtime.port(), token);
            List<Answer> answers = new ArrayList<>();
            try (BoxagntsProcess boxagnts = BoxagntsProcess.start("--workspace-dir", runtime.workspace().toString(),
                    "--port", Integer.toString(runtime.port()), "--data-dir", runtime.data().toString(),
                    "--plugins-dir", runtime.root().resolve("plugins").toString(),
                    "--access-token-file", tokenFile.toString())) {
                Await.until("health says ok (answers so far: " + answers.size() + ")", () -> {
                    Answer health = ask(runtime.url("/api/health"));
                    if (health == null) {
                        return false; // not listening yet
                    }
                    answers.add(health);
                    Answer tools = ask(runtime.url("/api/tools"));
                    if (tools != null) {
                        answers.add(tools);
                    }
                    return health.status() == 200 && status(health).equals("ok");
                });
                assertTrue(boxagnts.stdout().toString(), boxagnts.stdout().stream()
                        .anyMatch(line -> line.contains(" is ready at ")));
            }
            // The port opens only once every answer on it is JSON (decision 0034): no HTML 404 from Jetty, ever.
            for (Answer answer : answers) {
                assertTrue(answer.toString(), answer.contentType().startsWith("application/json"));
                JsonObject body = JsonParser.parseString(answer.body()).getAsJsonObject();
                if (answer.status() == 503) {
                    assertEquals(answer.toString(), "STARTING", body.getAsJsonObject("error").get("kind").getAsString());
                } else {
                    assertEquals(answer.toString(), 200, answer.status());
                }
                if (answer.path().equals("/api/health") && answer.status() == 200) {
                    assertTrue(answer.toString(), List.of("starting", "ok").contains(status(answer)));
                    assertFalse(answer.toString(), body.getAsJsonObject("engine").get("state").getAsString()
                            .equals("FAILED"));
                    assertEquals(answer.toString(), 0, body.getAsJsonArray("warnings").size());
                }
            }
        }
    }

    /**
     * Another program takes the port after the launcher's check and before Jetty binds it: the runtime says why and
     * stops, instead of a ready line for a server no one can reach.
     */
    @Test
    public void aPortTakenAfterTheStartUpCheckStopsTheRuntimeWithTheReason() throws Exception {
        try (TestRuntime runtime = TestRuntime.prepare("boxagnts-port-race-it");
                BoxagntsProcess boxagnts = BoxagntsProcess.start("--workspace-dir", runtime.workspace().toString(),
                        "--port", Integer.toString(runtime.port()), "--data-dir", runtime.data().toString())) {
            // The data directory is locked right after the port check passed; Jetty binds about a second later.
            Await.until("the launcher passed its checks", () -> Files.exists(runtime.data().resolve("boxagnts.lock")));
            try (java.net.ServerSocket thief = new java.net.ServerSocket(runtime.port(), 50,
                    java.net.InetAddress.getLoopbackAddress())) {
                assertEquals(1, boxagnts.exitCode());
                assertEquals(runtime.port(), thief.getLocalPort());
            }
            assertFalse(boxagnts.stdout().toString(), boxagnts.stdout().stream()
                    .anyMatch(line -> line.contains(" is ready at ")));
            String said = String.join("\n", boxagnts.stderr());
            assertTrue(said, said.contains("cannot listen on 127.0.0.1:" + runtime.port() + " (Address already in use)"));
            assertTrue(said, said.contains("boxagnts: the HTTP server could not start; see the messages above"));
        }
    }

    @Test
    public void aJvmCrashIsReportedInTheDataDirectoryAndAtTheNextStart() throws Exception {
        try (TestRuntime runtime = TestRuntime.prepare("boxagnts-crash-report-it")) {
            runtime.start();
            long pid = runtime.process().pid();
            // SIGSEGV from outside: the JVM handles it as a crash of its own and writes its report.
            assertEquals(0, new ProcessBuilder("kill", "-SEGV", Long.toString(pid)).start().waitFor());
            assertTrue(runtime.process().exitCode() != 0);
            Path report = runtime.data().resolve("logs/hs_err_pid" + pid + ".log");
            assertTrue("the crash report is in the data directory", Files.isRegularFile(report));
            assertFalse("and not in the current directory",
                    Files.exists(Path.of("hs_err_pid" + pid + ".log").toAbsolutePath()));

            runtime.start();
            List<String> notices = runtime.process().stderr().stream()
                    .filter(line -> line.contains("the last run ended in a JVM crash")).toList();
            assertEquals(List.of("boxagnts: the last run ended in a JVM crash; its report is " + report), notices);
        }
    }

    @Test
    public void aSecondRuntimeOnTheSameDataDirectoryRefusesWithAClearMessage() throws Exception {
        try (TestRuntime runtime = TestRuntime.prepare("boxagnts-two-it")) {
            runtime.start();
            int otherPort;
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                otherPort = socket.getLocalPort();
            }
            try (BoxagntsProcess second = BoxagntsProcess.start("--workspace-dir", runtime.workspace().toString(),
                    "--port", Integer.toString(otherPort), "--data-dir", runtime.data().toString())) {
                assertEquals(2, second.exitCode());
                assertEquals(List.of("boxagnts: the data directory " + runtime.data() + " is in use by another "
                        + "BoxAgnts (pid " + runtime.process().pid() + "); stop that one first, or give this one its "
                        + "own with --data-dir DIR"), second.stderr());
            }
            assertEquals(200, Http.get(runtime.url("/api/health")).status());
        }
    }

    private static Answer ask(String url) throws InterruptedException {
        try {
            HttpResponse<String> response = CLIENT.send(Http.request(url).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(java.net.URI.create(url).getPath(), response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (IOException e) {
            return null;
        }
    }

    private static String status(Answer health) {
        return JsonParser.parseString(health.body()).getAsJsonObject().get("status").getAsString();
    }

}
