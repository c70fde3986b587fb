package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/**
 * The tool SDK as a tool author uses it: {@code boxagnts tool new} generates a project, {@code mvn verify} (offline)
 * builds its Rust tool into a bundle and passes its test through {@code boxagnts tool run}, and the bundle, dropped
 * into a running BoxAgnts, answers over HTTP.
 */
public class ToolSdkIT {

    @Test
    public void aGeneratedToolBuildsPassesItsTestAndIsHotDeployed() throws Exception {
        Path root = TempDirs.create("boxagnts-sdk-it");
        Path project = root.resolve("word_count");
        String generated = run(root, BoxagntsProcess.DIST.resolve("bin/boxagnts").toString(), "tool", "new",
                "word_count", project.toString());
        assertTrue(generated, generated.contains("tool word_count created in " + project));
        String refused = runFailing(root, BoxagntsProcess.DIST.resolve("bin/boxagnts").toString(), "tool", "new",
                "Word-Count");
        assertTrue(refused, refused.contains("name the tool with a-z, 0-9 and _"));

        String build = run(project, "mvn", "-B", "-o", "-q", "verify");
        assertTrue(build, build.contains("test.sh: src/test/cases/notes.json passed"));
        Path jar = project.resolve("target/word_count-0.1.0.jar");
        assertTrue(jar + " was built", Files.isRegularFile(jar));

        try (TestRuntime runtime = TestRuntime.prepare("boxagnts-sdk-runtime").start()) {
            Files.writeString(runtime.workspace().resolve("poem.txt"), "roses are red\nviolets are blue\n");
            TestBundles.drop(jar, runtime.root().resolve("plugins"), "word_count-0.1.0.jar");
            Await.until("the generated tool is live", () -> Http.get(runtime.url("/api/tools")).body()
                    .contains("\"name\":\"word_count\""));
            Http.Response answer = Http.post(runtime.url("/api/tools/word_count/invoke"), "{\"path\":\"poem.txt\"}");
            assertEquals(answer.body(), 200, answer.status());
            assertTrue(answer.body(), answer.body().contains("\"lines\":2") && answer.body().contains("\"words\":6"));
        }
    }

    /** Runs a command in {@code dir} with the test's JDK; its output (stdout and stderr), which must end with 0. */
    private static String run(Path dir, String... command) throws Exception {
        Process process = start(dir, command);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(String.join(" ", command) + " ended", process.waitFor(10, TimeUnit.MINUTES));
        assertEquals(String.join(" ", command) + ": " + output, 0, process.exitValue());
        return output;
    }

    private static String runFailing(Path dir, String... command) throws Exception {
        Process process = start(dir, command);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(1, TimeUnit.MINUTES));
        assertTrue(output, process.exitValue() != 0);
        return output;
    }

    private static Process start(Path dir, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return builder.start();
    }
}
