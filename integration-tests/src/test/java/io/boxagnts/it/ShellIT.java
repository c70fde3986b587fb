package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxagnts.api.runtime.RuntimeProperties;
import io.boxagnts.api.tool.ToolRegistry;
import io.boxagnts.api.tool.ToolRequest;
import io.boxagnts.api.tool.WorkspaceAccess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The shipped {@code shell} tool in the real container and GraalWasm sandbox. Every command of
 * {@code tool-plugins/rust/shell/tests/gnu-cases.txt} runs on a fresh copy of the fixture twice — through the tool,
 * and by bash with GNU coreutils on the host — and must give the same stdout, stderr, exit code and workspace
 * afterwards. Under a read-only grant every kind of write is refused with a message that says why, and nothing
 * changes.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellIT {

    private static final Path TESTS = Path.of(System.getProperty("boxagnts.test.shell"));
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{9} \\+0000");

    @Inject
    private BundleContext context;

    @Inject
    private ToolRegistry registry;

    @Inject
    private ConfigurationAdmin configurations;

    @Configuration
    public Option[] config() throws IOException {
        return RuntimeContainer.options();
    }

    private Path workspace() {
        return Path.of(context.getProperty(RuntimeProperties.WORKSPACE));
    }

    private void shippedShell() throws Exception {
        TestBundles.dropShippedTools(Path.of(context.getProperty(RuntimeProperties.PLUGINS_DIR)));
        Await.until("the shell tool is registered", () -> registry.tool("shell").isPresent());
    }

    private JsonObject shell(String command) throws Exception {
        JsonObject input = new JsonObject();
        input.addProperty("command", command);
        String output = registry.tool("shell").orElseThrow().tool().invoke(new ToolRequest("it", input.toString()))
                .output();
        return JsonParser.parseString(output).getAsJsonObject();
    }

    record Case(int line, String command, boolean compareStderr) {}

    static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        List<String> lines = Files.readAllLines(TESTS.resolve("gnu-cases.txt"));
        List<String> multi = null;
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            if (multi != null) {
                if (raw.equals(">>>>")) {
                    cases.add(new Case(start, String.join("\n", multi), true));
                    multi = null;
                } else {
                    multi.add(raw);
                }
            } else if (raw.equals("<<<<")) {
                multi = new ArrayList<>();
                start = i + 2;
            } else if (!raw.isBlank() && !raw.startsWith("#")) {
                boolean lenient = raw.startsWith("~ ");
                cases.add(new Case(i + 1, lenient ? raw.substring(2) : raw, !lenient));
            }
        }
        return cases;
    }

    private static void clear(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /** Every file and directory below {@code dir} with its content (diff files with their times masked). */
    private static Map<String, String> tree(Path dir) throws IOException {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                String name = dir.relativize(p).toString();
                if (Files.isDirectory(p)) {
                    tree.put(name + "/", "");
                } else {
                    String text = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
                    tree.put(name, name.endsWith(".diff") ? masked(text) : text);
                }
            }
        }
        return tree;
    }

    private static String masked(String text) {
        return TIMESTAMP.matcher(text).replaceAll("TIMESTAMP");
    }

    record Run(String stdout, String stderr, int exitCode, Map<String, String> tree) {}

    private static Run gnu(String command) throws Exception {
        Path dir = TempDirs.create("gnu");
        copy(TESTS.resolve("fixture"), dir);
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().put("LC_ALL", "C");
        pb.environment().put("TZ", "UTC");
        Path out = Files.createTempFile(dir.getParent(), "out", ".txt");
        Path err = Files.createTempFile(dir.getParent(), "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                Path.of("/dev/null").toFile()));
        Process process = pb.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("bash did not finish: " + command);
        }
        Run run = new Run(masked(Files.readString(out)), Files.readString(err), process.exitValue(), tree(dir));
        clear(dir);
        Files.delete(dir);
        Files.delete(out);
        Files.delete(err);
        return run;
    }

    private Run ours(String command) throws Exception {
        clear(workspace());
        copy(TESTS.resolve("fixture"), workspace());
        JsonObject result = shell(command);
        return new Run(masked(result.get("stdout").getAsString()), result.get("stderr").getAsString(),
                result.get("exit_code").getAsInt(), tree(workspace()));
    }

    @Test
    public void everyCommandMatchesBashWithGnuCoreutils() throws Exception {
        shippedShell();
        List<Case> cases = cases();
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            Run gnu = gnu(c.command());
            Run ours = ours(c.command());
            List<String> problems = new ArrayList<>();
            if (!gnu.stdout().equals(ours.stdout())) {
                problems.add("stdout\n--- GNU\n" + gnu.stdout() + "--- ours\n" + ours.stdout());
            }
            if (c.compareStderr() && !gnu.stderr().equals(ours.stderr())) {
                problems.add("stderr\n--- GNU\n" + gnu.stderr() + "--- ours\n" + ours.stderr());
            }
            if (gnu.exitCode() != ours.exitCode()) {
                problems.add("exit code: GNU " + gnu.exitCode() + ", ours " + ours.exitCode());
            }
            if (!gnu.tree().equals(ours.tree())) {
                problems.add("workspace afterwards\n--- GNU\n" + gnu.tree().keySet() + "\n--- ours\n"
                        + ours.tree().keySet());
            }
            if (!problems.isEmpty()) {
                failures.add("line " + c.line() + ": " + c.command() + "\n" + String.join("\n", problems));
            }
        }
        System.out.println("GNU comparisons in the sandbox: " + (cases.size() - failures.size()) + " passed, "
                + failures.size() + " failed");
        assertTrue(failures.size() + " of " + cases.size() + " commands differ from bash + GNU coreutils:\n\n"
                + String.join("\n\n", failures), failures.isEmpty());
    }

    @Test
    public void underAReadOnlyGrantEveryWriteIsRefusedAndNothingChanges() throws Exception {
        shippedShell();
        clear(workspace());
        copy(TESTS.resolve("fixture"), workspace());
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("workspace", "read");
        var policy = configurations.getFactoryConfiguration("io.boxagnts.tool.policy", "shell", "?");
        policy.update(properties);
        try {
            Await.until("the shell has read-only access", () -> registry.tool("shell").orElseThrow().grant()
                    .permissions().workspace() == WorkspaceAccess.READ);
            Map<String, String> before = tree(workspace());
            String[] writes = {
                "echo x > new.txt", "echo x >> notes.txt", "rm notes.txt", "rm -rf src", "mv notes.txt moved.txt",
                "sed -i 's/apple/pear/' notes.txt", "mkdir newdir", "cp notes.txt copy.txt", "touch notes.txt",
                "echo x | tee out.txt", "sort -o notes.txt notes.txt", "find src -name '*.rs' -delete",
                "diff -u old.txt new.txt > p.diff; patch old.txt < p.diff",
            };
            for (String write : writes) {
                JsonObject result = shell(write);
                assertTrue(write + ": " + result, result.get("exit_code").getAsInt() != 0);
                assertTrue(write + ": " + result, result.get("stderr").getAsString()
                        .contains("Permission denied (the shell has read-only access to the workspace; writing needs"
                                + " the write grant)"));
                assertEquals(write, before, tree(workspace()));
            }
            JsonObject read = shell("grep -c apple notes.txt && sort notes.txt | uniq -c | head -1");
            assertEquals(read.toString(), 0, read.get("exit_code").getAsInt());
            assertEquals(read.toString(), "2\n      1 Apple\n",
                    read.get("stdout").getAsString());
        } finally {
            policy.delete();
            Await.until("the shell may write again", () -> registry.tool("shell").orElseThrow().grant()
                    .permissions().workspace() == WorkspaceAccess.WRITE);
        }
        JsonObject write = shell("echo x > new.txt && cat new.txt");
        assertEquals(write.toString(), "x\n", write.get("stdout").getAsString());
    }

    @Test
    public void aCommandThatIsNotBuiltInIsNotAvailable() throws Exception {
        shippedShell();
        JsonObject result = shell("python3 -c 'print(1)' || echo fallback");
        assertEquals(result.toString(), "sh: python3: not available in the sandbox\n",
                result.get("stderr").getAsString());
        assertEquals(result.toString(), "fallback\n", result.get("stdout").getAsString());
        assertEquals(result.toString(), 127, shell("cargo build").get("exit_code").getAsInt());
    }
}
