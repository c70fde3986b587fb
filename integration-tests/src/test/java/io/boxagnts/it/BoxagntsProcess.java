package io.boxagnts.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The distribution's {@code bin/boxagnts}, run as a user runs it, with its output captured line by line. */
final class BoxagntsProcess implements AutoCloseable {

    static final Path DIST = Path.of(System.getProperty("boxagnts.dist"));
    private static final Pattern READY_LINK = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/\\?token=([A-Za-z0-9_-]+)");

    private final Process process;
    private final List<String> out = new ArrayList<>();
    private final List<String> err = new ArrayList<>();
    private final Thread outReader;
    private final Thread errReader;

    private BoxagntsProcess(Process process) {
        this.process = process;
        this.outReader = Thread.ofPlatform().daemon().start(() -> collect(process.getInputStream(), out));
        this.errReader = Thread.ofPlatform().daemon().start(() -> collect(process.getErrorStream(), err));
    }

    static BoxagntsProcess start(Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(DIST.resolve("bin/boxagnts").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        return new BoxagntsProcess(builder.start());
    }

    static BoxagntsProcess start(String... args) throws IOException {
        return start(Map.of(), args);
    }

    /**
     * Another distribution's {@code bin/boxagnts} (an unpacked archive), with exactly this environment: nothing of
     * the test JVM's (no JAVA_HOME, no PATH but what {@code environment} says).
     */
    static BoxagntsProcess startIn(Path distribution, Map<String, String> environment, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(distribution.resolve("bin/boxagnts").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(environment);
        return new BoxagntsProcess(builder.start());
    }

    /** Waits for the process to end and for its output to be read. */
    int exitCode() throws InterruptedException {
        if (!process.waitFor(Await.DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("boxagnts did not exit; stderr: " + stderr());
        }
        outReader.join();
        errReader.join();
        return process.exitValue();
    }

    List<String> stdout() {
        synchronized (out) {
            return List.copyOf(out);
        }
    }

    List<String> stderr() {
        synchronized (err) {
            return List.copyOf(err);
        }
    }

    /** Waits for the ready line, and lets {@link Http} use the token of the link it prints. */
    void awaitReady() throws Exception {
        Await.until("boxagnts prints its ready line (stderr so far: " + stderr() + ")",
                () -> stdout().stream().anyMatch(line -> line.contains(" is ready at ")));
        Matcher link = READY_LINK.matcher(String.join("\n", stdout()));
        if (link.find()) {
            Http.useToken(Integer.parseInt(link.group(1)), link.group(2));
        }
    }

    /** The URL to open, as the ready line prints it. */
    String url() {
        Matcher link = READY_LINK.matcher(String.join("\n", stdout()));
        if (!link.find()) {
            throw new AssertionError("no ready link in " + stdout());
        }
        return link.group(0);
    }

    /** kill -9: no shutdown hook, no flush. (bin/boxagnts execs java, so this is the runtime's JVM.) */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** The runtime's JVM (bin/boxagnts execs java). */
    long pid() {
        return process.pid();
    }

    /** The JVM's command line (bin/boxagnts execs java), as /proc has it. */
    List<String> jvmArguments() throws IOException {
        String cmdline = Files.readString(Path.of("/proc/" + pid() + "/cmdline"), StandardCharsets.UTF_8);
        return Arrays.asList(cmdline.split("\0"));
    }

    /** A port nothing listens on right now, for a runtime's --port. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void collect(InputStream stream, List<String> lines) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }
}
