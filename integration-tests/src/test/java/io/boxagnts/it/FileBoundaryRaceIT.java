package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The workspace boundary attacked while racing, against the distribution as a user starts it: two loops flip names
 * in the workspace as fast as they go — {@code flip} between a regular file and a link to a file outside, {@code dir}
 * between a real directory and a link to a directory outside — while every core tool and the workspace browser are
 * called through them over HTTP. The outside files hold a marker looked for in every response (their names too), and
 * their checksums are compared after. Each target is attacked for {@code boxagnts.race.seconds} (default 3; a long
 * run: benchmarks/file-race.sh), and the report goes to the test output and target/file-race-report.md.
 */
public class FileBoundaryRaceIT {

    private static final String MARKER = "OUTSIDE-MARKER-" + UUID.randomUUID();
    private static final double SECONDS = Double.parseDouble(System.getProperty("boxagnts.race.seconds", "3"));

    private static TestRuntime runtime;
    private static Path outside;

    @BeforeClass
    public static void start() throws Exception {
        runtime = TestRuntime.prepare("boxagnts-race-it");
        outside = Files.createDirectories(runtime.root().resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "TODO " + MARKER + "\n");
        Path outDir = Files.createDirectories(outside.resolve("dir"));
        Files.writeString(outDir.resolve("x"), "TODO " + MARKER + "\n");
        Files.writeString(outDir.resolve(MARKER + ".txt"), "TODO " + MARKER + "\n");
        Files.writeString(runtime.workspace().resolve("notes.md"), "TODO inside\n");
        runtime.start();
    }

    @AfterClass
    public static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    /** One way in: a tool call (POST) or a browser request (GET). */
    private record Target(String name, String path, String body) {}

    private static List<Target> targets() {
        return List.of(
                new Target("read_file", "/api/tools/read_file/invoke", "{\"path\":\"flip\"}"),
                new Target("read_file", "/api/tools/read_file/invoke", "{\"path\":\"dir/x\"}"),
                new Target("write_file", "/api/tools/write_file/invoke", "{\"path\":\"flip\",\"content\":\"PWNED\"}"),
                new Target("write_file", "/api/tools/write_file/invoke", "{\"path\":\"dir/new\",\"content\":\"PWNED\"}"),
                new Target("write_file", "/api/tools/write_file/invoke", "{\"path\":\"dir/x\",\"content\":\"PWNED\"}"),
                new Target("edit_file", "/api/tools/edit_file/invoke",
                        "{\"path\":\"flip\",\"old_string\":\"TODO\",\"new_string\":\"PWNED\"}"),
                new Target("edit_file", "/api/tools/edit_file/invoke",
                        "{\"path\":\"dir/x\",\"old_string\":\"TODO\",\"new_string\":\"PWNED\"}"),
                new Target("grep", "/api/tools/grep/invoke", "{\"pattern\":\"TODO|MARKER\"}"),
                new Target("grep", "/api/tools/grep/invoke", "{\"pattern\":\"TODO|MARKER\",\"path\":\"dir\"}"),
                new Target("glob", "/api/tools/glob/invoke", "{\"pattern\":\"**/*\"}"),
                new Target("glob", "/api/tools/glob/invoke", "{\"pattern\":\"dir/*\"}"),
                new Target("list_dir", "/api/tools/list_dir/invoke", "{\"path\":\"dir\"}"),
                new Target("list_dir", "/api/tools/list_dir/invoke", "{\"depth\":3}"),
                new Target("/api/workspace", "/api/workspace/file?path=flip", null),
                new Target("/api/workspace", "/api/workspace/file?path=dir/x", null),
                new Target("/api/workspace", "/api/workspace/list?path=dir", null));
    }

    /** Calls, successful answers and answers with the marker, per tool. */
    private static final class Tally {
        long calls;
        long answered;
        long leaks;
        final List<String> leaked = new ArrayList<>();
    }

    @Test
    public void nothingOutsideIsReadOrChangedWhileNamesFlip() throws Exception {
        Map<String, String> before = checksums(outside);
        Path workspace = runtime.workspace();
        Flipper files = new Flipper(workspace.resolve("flip"), outside.resolve("secret.txt"), false);
        Flipper dirs = new Flipper(workspace.resolve("dir"), outside.resolve("dir"), true);
        Thread fileLoop = Thread.ofPlatform().name("flip-file").start(files);
        Thread dirLoop = Thread.ofPlatform().name("flip-dir").start(dirs);
        Map<String, Tally> tallies = new TreeMap<>();
        List<Target> targets = targets();
        try {
            for (String tool : targets.stream().map(Target::name).distinct().toList()) {
                List<Target> ways = targets.stream().filter(t -> t.name().equals(tool)).toList();
                Tally tally = tallies.computeIfAbsent(tool, t -> new Tally());
                long end = System.nanoTime() + (long) (SECONDS * 1e9);
                for (int i = 0; System.nanoTime() < end; i++) {
                    Target target = ways.get(i % ways.size());
                    Http.Response response = target.body() == null ? Http.get(runtime.url(target.path()))
                            : Http.post(runtime.url(target.path()), target.body());
                    tally.calls++;
                    if (response.status() == 200) {
                        tally.answered++;
                    }
                    if (response.body().contains(MARKER)) {
                        tally.leaks++;
                        if (tally.leaked.size() < 3) {
                            tally.leaked.add(target.body() + " -> " + response.body());
                        }
                    }
                }
            }
        } finally {
            files.stop = true;
            dirs.stop = true;
            fileLoop.join();
            dirLoop.join();
        }
        Map<String, String> after = checksums(outside);
        String report = report(tallies, before, after, files.flips.get(), dirs.flips.get());
        System.out.println(report);
        Files.writeString(Path.of("target", "file-race-report.md"), report);
        assertTrue("the names did not flip: " + report, files.flips.get() > 10 && dirs.flips.get() > 10);
        for (Map.Entry<String, Tally> entry : tallies.entrySet()) {
            assertEquals(entry.getKey() + " leaked the outside: " + entry.getValue().leaked, 0, entry.getValue().leaks);
        }
        assertEquals("the files outside changed", before, after);
    }

    private static String report(Map<String, Tally> tallies, Map<String, String> before, Map<String, String> after,
            long fileFlips, long dirFlips) {
        StringBuilder out = new StringBuilder("File boundary race: " + SECONDS + " s per tool; flip flipped "
                + fileFlips + " times, dir " + dirFlips + " times\n\n| tool | calls | answered 200 | leaks | outside changes |\n|---|---|---|---|---|\n");
        long changes = before.keySet().stream().filter(k -> !before.get(k).equals(after.get(k))).count()
                + after.keySet().stream().filter(k -> !before.containsKey(k)).count();
        tallies.forEach((tool, t) -> out.append("| ").append(tool).append(" | ").append(t.calls).append(" | ")
                .append(t.answered).append(" | ").append(t.leaks).append(" | ").append(changes).append(" |\n"));
        return out.toString();
    }

    /** Every file below the directory (its name and SHA-256): a change, a new file or a lost one all show. */
    private static Map<String, String> checksums(Path dir) throws IOException, NoSuchAlgorithmException {
        Map<String, String> sums = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
                sums.put(dir.relativize(file).toString(), HexFormat.of().formatHex(digest));
            }
        }
        return sums;
    }

    /**
     * Flips a name between the real thing (a file, or a directory with a file x) and a link to the outside one, as
     * {@code ln -sfn OUTSIDE name.tmp && mv -fT name.tmp name} and back do: each swap is one atomic rename.
     */
    private static final class Flipper implements Runnable {

        private final Path name;
        private final Path target;
        private final boolean directory;
        final AtomicLong flips = new AtomicLong();
        volatile boolean stop;

        Flipper(Path name, Path target, boolean directory) {
            this.name = name;
            this.target = target;
            this.directory = directory;
        }

        @Override
        public void run() {
            Path tmp = name.resolveSibling(name.getFileName() + ".tmp");
            Path old = name.resolveSibling(name.getFileName() + ".old");
            boolean link = false;
            while (!stop) {
                try {
                    remove(tmp);
                    if (link) {
                        Files.createSymbolicLink(tmp, target);
                    } else if (directory) {
                        Files.writeString(Files.createDirectory(tmp).resolve("x"), "TODO harmless\n");
                    } else {
                        Files.writeString(tmp, "TODO harmless\n");
                    }
                    if (directory && Files.exists(name, LinkOption.NOFOLLOW_LINKS)) {
                        // rename cannot put a directory over a link or a full directory, nor a link over a
                        // directory: move the old one aside first
                        remove(old);
                        Files.move(name, old, StandardCopyOption.ATOMIC_MOVE);
                    }
                    Files.move(tmp, name, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    flips.incrementAndGet();
                    link = !link;
                } catch (IOException e) {
                    // a tool created or removed something meanwhile: go on flipping
                }
            }
        }

        private static void remove(Path path) throws IOException {
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> entries = Files.list(path)) {
                    for (Path entry : entries.toList()) {
                        remove(entry);
                    }
                }
            }
            Files.deleteIfExists(path);
        }
    }
}
