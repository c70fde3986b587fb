package io.boxagnts.sandbox;

import io.boxagnts.api.tool.ToolException;
import io.boxagnts.api.tool.WorkspaceAccess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.graalvm.polyglot.Engine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms the tools up after start: runs each tool's declared warm-up inputs ({@code "warmup"} in its descriptor) a
 * number of rounds on a private scratch workspace, one call at a time on one background thread, so that the Graal
 * compiler has compiled the tools' hot code before the user's first call instead of during it (a fresh grep of a
 * mid-sized repository took 1.2 s against ~0.4 s warm; decision 0019). It gives way to real calls: it runs only when
 * none has been in flight for {@value #QUIET_MILLIS} ms, and a real call that arrives ends the warm-up call running
 * (which is retried later). Code is shared through the engine, whatever workspace a context maps, so what is compiled
 * here serves every later call. The scratch workspace is a generated source tree in a private directory of the
 * bundle's data area, deleted when the warm-up ends; warm-up calls are not audited. Then the read-only tools run
 * their inputs {@value #WORKSPACE_ROUNDS} more rounds on the user's workspace itself, read-only and within a time
 * budget, if the runtime is configured so and the tool may read it now: only a real repository's shape (hundreds of
 * directories, real ignore files, files of every size) makes the code of a large search hot (decision 0038).
 */
final class WarmUp implements AutoCloseable {

    /** Rounds per tool: enough for the compiler to reach the hot loops of a walk, a read and a regex scan. */
    static final int ROUNDS = 12;
    static final long QUIET_MILLIS = 200;
    /** Rounds per read-only tool on the user's workspace, after its scratch rounds. */
    static final int WORKSPACE_ROUNDS = 2;
    private static final String SCRATCH_PREFIX = "boxagnts-warmup-";
    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);

    /** Where a job's calls run. */
    private enum Where { SCRATCH, WORKSPACE }

    private record Job(WasmTool tool, List<String> inputs, int roundsLeft, Where where) {
        Job nextRound() {
            return new Job(tool, inputs, roundsLeft - 1, where);
        }
    }

    /**
     * The user's workspace, for the warm-up's second phase.
     *
     * @param mayRead whether a tool (by name) may read the workspace now: enabled, and its grant leaves it access
     * @param budget the wall time all warm-up calls on the workspace may take together, per start
     */
    record UserWorkspace(CompletableFuture<WorkspaceRoot> root, Predicate<String> mayRead, Duration budget) {}

    private final CompletableFuture<Engine> engine;
    private final RealCalls realCalls;
    private final Path scratchParent;
    private final UserWorkspace userWorkspace;
    private final Deque<Job> jobs = new ArrayDeque<>();
    private Thread thread;
    private Thread lastThread;
    private boolean closed;
    private int completedCalls;
    private int yieldedCalls;
    private boolean calling;
    private long workspaceNanos;
    private int workspaceCalls;

    /**
     * @param scratchParent where the scratch workspace is made: the bundle's own data area, inside the framework cache
     *     that every start rebuilds (decision 0005), so a scratch tree left by a JVM that died without stopping (kill
     *     -9) goes with it; null: the system's temporary directory
     * @param userWorkspace where read-only tools run more rounds after their scratch ones; null: nowhere
     */
    WarmUp(CompletableFuture<Engine> engine, RealCalls realCalls, Path scratchParent, UserWorkspace userWorkspace) {
        this.engine = engine;
        this.realCalls = realCalls;
        this.scratchParent = scratchParent;
        this.userWorkspace = userWorkspace;
    }

    /** Queues a tool's warm-up; the background thread starts with the first tool. */
    synchronized void add(WasmTool tool, List<String> inputs) {
        if (closed || inputs.isEmpty()) {
            return;
        }
        jobs.addLast(new Job(tool, inputs, ROUNDS, Where.SCRATCH));
        if (thread == null) { // none yet, or the last one finished its queue: a tool deployed later
            thread = Thread.ofPlatform().name("boxagnts-tool-warmup").daemon().priority(Thread.MIN_PRIORITY)
                    .unstarted(this::work);
            lastThread = thread;
            thread.start();
        }
        notifyAll();
    }

    /** Drops a tool that went away with its bundle. */
    synchronized void remove(WasmTool tool) {
        jobs.removeIf(job -> job.tool() == tool);
    }

    private void work() {
        long started = System.nanoTime();
        Path scratchDir = null;
        WorkspaceRoot scratch = null;
        WorkspaceRoot user;
        try {
            try {
                engine.get();
                // opened after start, like the engine; the warm-up waits for it as a first tool call does (0041)
                user = userWorkspace == null ? null : userWorkspace.root().get();
            } catch (CancellationException | ExecutionException | InterruptedException e) {
                return; // stopped before the engine was built or the workspace opened, or either failed (reported)
            }
            scratchDir = scratchParent == null ? Files.createTempDirectory(SCRATCH_PREFIX)
                    : Files.createTempDirectory(Files.createDirectories(scratchParent), SCRATCH_PREFIX);
            ScratchTree.write(scratchDir);
            scratch = WorkspaceRoot.open(scratchDir, false);
            // from here on a real call may interrupt this thread (not during the file writes above: an interrupt
            // closes the channel being written)
            synchronized (this) {
                if (closed) {
                    return;
                }
                realCalls.background(thread);
            }
            while (true) {
                Job job;
                synchronized (this) {
                    job = jobs.pollFirst();
                    if (job == null || closed) {
                        finished(); // under the same lock as the look: a tool added from now on starts a thread
                        break;
                    }
                }
                if (runRound(job, job.where() == Where.WORKSPACE ? user : scratch)) {
                    job = job.nextRound();
                }
                synchronized (this) {
                    if (closed) {
                        continue;
                    }
                    if (job.roundsLeft() > 0) {
                        jobs.addLast(job); // round robin: every tool gets its first rounds early
                    } else if (job.where() == Where.SCRATCH && user != null
                            && job.tool().spec().permissions().workspace() == WorkspaceAccess.READ) {
                        jobs.addLast(new Job(job.tool(), job.inputs(), WORKSPACE_ROUNDS, Where.WORKSPACE));
                    }
                }
            }
            LOG.info("tools warmed up in the background: {} calls in {} ms, {} of them on the workspace in {} ms ({} "
                    + "gave way to real calls)", completedCalls(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime()
                    - started), workspaceCalls(), TimeUnit.NANOSECONDS.toMillis(workspaceNanos()), yieldedCalls());
        } catch (IOException | RuntimeException e) {
            LOG.warn("the tools' warm-up stopped (their first calls will be slower): {}", e.toString());
        } finally {
            finished();
            if (scratch != null) {
                scratch.close();
            }
            delete(scratchDir);
        }
    }

    /** This thread is done: a tool added from now on starts another. */
    private synchronized void finished() {
        if (thread == Thread.currentThread()) {
            thread = null;
            realCalls.background(null);
        }
        notifyAll();
    }

    /**
     * Whether a round on the user's workspace may run now: never a write tool's (checked when queued), only while the
     * tool may read the workspace (a policy may have taken that away since) and the budget is not spent, and only
     * before the tool's first real call, which these rounds are for (after it, they would only cost CPU and heap).
     */
    private boolean mayWarmOnWorkspace(WasmTool tool) {
        return !tool.called() && userWorkspace.mayRead().test(tool.spec().name())
                && workspaceNanos() < userWorkspace.budget().toNanos();
    }

    /** One round of a tool's inputs; false when a real call (or shutdown) interrupted it. */
    private boolean runRound(Job job, WorkspaceRoot root) {
        for (String input : job.inputs()) {
            if (closed()) {
                return false;
            }
            if (job.where() == Where.WORKSPACE && !mayWarmOnWorkspace(job.tool())) {
                return true; // not (or no longer) allowed, or the budget ran out: the round is over, without calls
            }
            try {
                realCalls.awaitQuiet(QUIET_MILLIS);
            } catch (InterruptedException e) {
                return false; // interrupted while waiting: look again (the flag is cleared)
            }
            long arrivals = realCalls.arrivals();
            long callStarted = System.nanoTime();
            try {
                calling(true);
                job.tool().warm(input, root);
            } catch (ToolException e) {
                if (realCalls.arrivals() != arrivals || closed()) {
                    // ended by a real call's interrupt (the engine's cancellation may have cleared the flag already)
                    Thread.interrupted();
                    count(false);
                    return false;
                }
                // a tool whose warm-up input fails still had its code exercised; nothing to do for the user
                LOG.debug("warm-up of {} with {}: {}", job.tool().spec().name(), input, e.error());
            } finally {
                if (job.where() == Where.WORKSPACE) {
                    spentOnWorkspace(System.nanoTime() - callStarted);
                }
            }
            count(true);
            Thread.interrupted(); // a real call that came after this one ended: awaitQuiet waits for it anyway
        }
        return true;
    }

    private synchronized void calling(boolean now) {
        calling = now;
    }

    /** Whether a warm-up call is running now (for tests). */
    synchronized boolean calling() {
        return calling;
    }

    private synchronized void count(boolean completed) {
        calling = false;
        if (completed) {
            completedCalls++;
        } else {
            yieldedCalls++;
        }
        notifyAll();
    }

    private synchronized void spentOnWorkspace(long nanos) {
        workspaceNanos += nanos;
        workspaceCalls++;
    }

    private synchronized long workspaceNanos() {
        return workspaceNanos;
    }

    /** Warm-up calls on the user's workspace, ended or not. */
    synchronized int workspaceCalls() {
        return workspaceCalls;
    }

    /** Warm-up calls that ran to their end. */
    synchronized int completedCalls() {
        return completedCalls;
    }

    /** Warm-up calls ended early because a real call arrived. */
    synchronized int yieldedCalls() {
        return yieldedCalls;
    }

    /** Waits until every queued round has run (or the warm-up stopped) and its scratch tree is gone. */
    void awaitDone() throws InterruptedException {
        Thread last;
        synchronized (this) {
            while (thread != null) {
                wait();
            }
            last = lastThread;
        }
        if (last != null) {
            last.join();
        }
    }

    private synchronized boolean closed() {
        return closed;
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.debug("could not remove the warm-up scratch directory {}: {}", dir, e.toString());
        }
    }

    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            jobs.clear();
            running = thread;
        }
        if (running != null) {
            running.interrupt();
            try {
                running.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The scratch workspace: a small source tree shaped like a real one (nested modules of Rust-like code with
     * mixed-case words and some matches, a README, a .gitignore that excludes a build directory and one further down,
     * a binary file), about 320 files in about 80 directories and 1.3 MB, so that walks, reads, ignore rules and
     * regex scans all run their hot loops. Real repositories have a few files per directory: with only the 9
     * directories of 24 files, the per-directory code of a walk (reading it, loading its ignore files) stayed in the
     * interpreter through the warm-up, and a first grep of the crate corpus after it took 2.5-3.2 s against 0.2 s
     * warm; hence the 64 small directories below the modules. Tools' warm-up inputs may rely on: README.md,
     * notes.txt, src/lib.rs, src/mod_N/file_M.rs (N 0-7, M 0-23).
     */
    static final class ScratchTree {

        private ScratchTree() {
        }

        static void write(Path dir) throws IOException {
            write(dir.resolve("README.md"), "# Scratch\n\nA workspace the sandbox warms its tools up on.\n");
            write(dir.resolve("notes.txt"), "warm up\n");
            write(dir.resolve(".gitignore"), "target/\n*.log\n");
            write(dir.resolve("build.log"), "ignored\n");
            Files.createDirectories(dir.resolve("target"));
            write(dir.resolve("target/out.rs"), source(99, 0, 40));
            Files.write(dir.resolve("logo.bin"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13, 0, 1});
            Files.createDirectories(dir.resolve("src"));
            write(dir.resolve("src/lib.rs"), source(0, 0, 40));
            for (int module = 0; module < 8; module++) {
                Path sub = dir.resolve("src/mod_" + module);
                Files.createDirectories(sub);
                for (int file = 0; file < 24; file++) {
                    write(sub.resolve("file_" + file + ".rs"), source(module, file, 40));
                }
                write(sub.resolve(".gitignore"), "*.tmp\n");
                for (int part = 0; part < 8; part++) {
                    Path leaf = Files.createDirectories(sub.resolve("part_" + part));
                    for (int file = 0; file < 2; file++) {
                        write(leaf.resolve("part_" + file + ".rs"), source(module, 100 + part * 2 + file, 8));
                    }
                }
            }
        }

        private static String source(int module, int file, int items) {
            StringBuilder text = new StringBuilder(6 << 10);
            text.append("//! Module ").append(module).append(", file ").append(file).append(".\n\n");
            text.append("use std::collections::HashMap;\n\n");
            for (int item = 0; item < items; item++) {
                String name = "item_" + module + "_" + file + "_" + item;
                text.append("/// Builds a ").append(name).append(" from its parts; see the HashMap notes.\n");
                text.append("pub fn ").append(name).append(item % 5 == 0 ? "_new" : "").append("(size: usize) -> ")
                        .append("Vec<u8> {\n");
                text.append("    let mut map: HashMap<String, usize> = HashMap::new(); // TODO(").append(module)
                        .append(") check capacity\n");
                text.append("    map.insert(\"Key").append(item).append("\".to_string(), size * ").append(item + 1)
                        .append(");\n");
                text.append("    vec![0; size]\n}\n\n");
            }
            return text.toString();
        }

        private static void write(Path file, String text) throws IOException {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        }
    }
}
