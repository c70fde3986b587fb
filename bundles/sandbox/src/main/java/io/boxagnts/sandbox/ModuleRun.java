package io.boxagnts.sandbox;

import io.boxagnts.api.tool.ToolError;
import io.boxagnts.api.tool.ToolException;
import io.boxagnts.api.tool.ToolLimits;
import io.boxagnts.api.tool.WorkspaceAccess;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.graalvm.polyglot.proxy.ProxyObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a WASI command module in the sandbox: a fresh {@link Context} on the shared engine, stdin from memory,
 * stdout and stderr capped, no network, no host environment, a wall-clock limit, and the workspace through BoxAgnts'
 * filesystem layer or no files at all. What a tool call runs ({@link WasmTool}) and what {@code boxagnts tool run}
 * runs ({@link ToolRun}), so a tool author tries a tool in exactly the sandbox the runtime has.
 */
final class ModuleRun {

    private static final long INTERRUPT_CHECK_MS = 50;
    static final int MAX_STDERR_BYTES = 16 << 10;
    private static final Logger LOG = LoggerFactory.getLogger(ModuleRun.class);

    /**
     * What the guest gets besides stdin: program arguments (after the module's name), environment variables, and the
     * directories it sees, each at its guest path. Tool calls get no arguments, one variable (their grant) and the
     * workspace at {@code /}; {@code boxagnts tool run} may map several directories (not one inside another).
     */
    record Guest(List<String> args, Map<String, String> env, List<Mount> mounts) {

        /**
         * A tool call: its grant as {@code BOXAGNTS_WORKSPACE=none|read|write}, so that a tool can refuse a write
         * before trying it (GraalWasm's WASI reports the filesystem layer's refusal as "no such file"; 0027).
         *
         * @param workspace the workspace, or null when {@code access} is {@code NONE}
         */
        static Guest tool(WorkspaceAccess access, WorkspaceRoot workspace) {
            return new Guest(List.of(), Map.of("BOXAGNTS_WORKSPACE", access.name().toLowerCase(Locale.ROOT)),
                    workspace == null ? List.of() : List.of(new Mount("/", workspace)));
        }

        Guest {
            args = List.copyOf(args);
            env = Map.copyOf(env);
            mounts = List.copyOf(mounts);
        }
    }

    /** A host directory, opened, and where the guest sees it. */
    record Mount(String guestPath, WorkspaceRoot root) {}

    /**
     * How a run ended when the sandbox did not stop it: the module's exit status, what it wrote, the first thing the
     * filesystem layer refused it, if any, and why the host's web fetch ran out of time, if it did.
     */
    record Outcome(int exitCode, String stdout, String stderr, Duration duration, Optional<String> denial,
            Optional<String> fetchTimeout) {}

    private enum Stop { TIMEOUT, OUTPUT, CANCELLED }

    private ModuleRun() {}

    /**
     * @param name what the module is called in messages (the tool's name)
     * @param memoryMaximum the most linear memory the module (as given) may grow to, -1 when unknown
     * @param guest its arguments, environment and directories (none are seen when {@code access} is {@code NONE})
     * @throws ToolException when the sandbox stopped it: {@code TIMEOUT}, {@code MEMORY_LIMIT},
     *     {@code OUTPUT_TOO_LARGE}, {@code MODULE_TRAP}, {@code UNAVAILABLE} (cancelled), {@code INTERNAL}
     */
    static Outcome run(SandboxRuntime runtime, Engine engine, String name, Source module, long memoryMaximum,
            byte[] input, ToolLimits limits, WorkspaceAccess access, Guest guest) throws ToolException {
        return run(runtime, engine, name, module, memoryMaximum, input, limits, access, guest, null, false);
    }

    /**
     * @param web the web fetch import for a module that declares it ({@link WebFetchImport}); null: none
     * @param readDir whether the module imports {@code boxagnts.read_dir} ({@link ReadDirImport}): then it is given,
     *     on the run's workspace; a module that does not is instantiated with no such import
     */
    static Outcome run(SandboxRuntime runtime, Engine engine, String name, Source module, long memoryMaximum,
            byte[] input, ToolLimits limits, WorkspaceAccess access, Guest guest, WebFetchImport web,
            boolean readDir) throws ToolException {
        AtomicReference<Stop> stop = new AtomicReference<>();
        AtomicReference<Context> running = new AtomicReference<>();
        LimitedOutput out = new LimitedOutput(limits.maxOutputBytes(), () -> cancel(runtime, running, stop,
                Stop.OUTPUT));
        LimitedOutput err = new LimitedOutput(MAX_STDERR_BYTES, () -> { });
        long started = System.nanoTime();
        List<WorkspaceFileSystem> files = access == WorkspaceAccess.NONE ? List.of() : guest.mounts().stream()
                .map(mount -> new WorkspaceFileSystem(mount.root(), access == WorkspaceAccess.WRITE)).toList();
        ReadDirImport directories = readDir ? readDirImport(files, guest) : null;
        Context context = context(engine, name, input, out, err, files, guest);
        running.set(context);
        ScheduledFuture<?> watchdog = runtime.watchdog().schedule(() -> cancel(runtime, running, stop, Stop.TIMEOUT),
                limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
        // Guest code does not see Thread.interrupt(): an interrupt of the thread running the call (a cancelled agent
        // turn interrupts its caller, ToolThreads passes that on) closes the context.
        Thread caller = Thread.currentThread();
        ScheduledFuture<?> interruptWatch = runtime.watchdog().scheduleWithFixedDelay(() -> {
            if (caller.isInterrupted()) {
                cancel(runtime, running, stop, Stop.CANCELLED);
            }
        }, INTERRUPT_CHECK_MS, INTERRUPT_CHECK_MS, TimeUnit.MILLISECONDS);
        int exitCode = 0;
        Value exports = null;
        try {
            Value parsed = context.eval(module);
            exports = (web == null && directories == null ? parsed.newInstance()
                    : parsed.newInstance(imports(web, directories))).getMember("exports");
            if (web != null) {
                web.memory(exports.getMember("memory"));
            }
            if (directories != null) {
                directories.memory(exports.getMember("memory"));
            }
            exports.getMember("_start").executeVoid();
        } catch (PolyglotException e) {
            if (e.isExit()) {
                exitCode = e.getExitStatus();
            } else if (stop.get() == null && e.isGuestException() && memoryExhausted(exports, memoryMaximum)) {
                throw new ToolException(ToolError.Kind.MEMORY_LIMIT, name + " used all the memory it may ("
                        + (limits.maxMemoryBytes() >> 20) + " MiB) and then failed: " + e.getMessage());
            } else {
                throw failure(name, e, stop.get(), err, limits);
            }
        } catch (IllegalStateException e) {
            // the context was closed under us by the watchdog
            throw failure(name, null, stop.get(), err, limits);
        } finally {
            watchdog.cancel(false);
            interruptWatch.cancel(false);
            running.set(null);
            closeQuietly(context, false);
        }
        Duration duration = Duration.ofNanos(System.nanoTime() - started);
        if (out.overflowed() || stop.get() == Stop.OUTPUT) {
            throw outputTooLarge(name, limits);
        }
        return new Outcome(exitCode, out.text(), err.text(), duration, files.stream()
                .map(WorkspaceFileSystem::firstDenial).flatMap(Optional::stream).findFirst(),
                web == null ? Optional.empty() : web.timeout());
    }

    /**
     * The read_dir import of a run: on its workspace when it sees exactly one, at the guest's "/" (every tool call and
     * warm-up run); denied without workspace access; not offered (-6: use WASI) over other directories.
     */
    private static ReadDirImport readDirImport(List<WorkspaceFileSystem> files, Guest guest) {
        if (files.isEmpty()) {
            return ReadDirImport.denied();
        }
        if (files.size() == 1 && guest.mounts().get(0).guestPath().equals("/")) {
            return ReadDirImport.of(files.get(0));
        }
        return ReadDirImport.unsupported();
    }

    /** The import object for {@code newInstance}: {@code {"boxagnts": {...}}} with the functions given (not null). */
    private static Object imports(WebFetchImport web, ReadDirImport readDir) {
        Map<String, Object> functions = new java.util.HashMap<>();
        if (web != null) {
            functions.put(WebFetchImport.NAME, web);
        }
        if (readDir != null) {
            functions.put(ReadDirImport.NAME, readDir);
        }
        return ProxyObject.fromMap(Map.of(WebFetchImport.MODULE, ProxyObject.fromMap(functions)));
    }

    /**
     * Whether the module's memory stands at (within 10% of) its declared maximum when it trapped: it grew until
     * refused, as an allocator does before it aborts.
     */
    private static boolean memoryExhausted(Value exports, long declaredMemory) {
        try {
            if (declaredMemory <= 0 || exports == null || !exports.hasMember("memory")) {
                return false;
            }
            Value memory = exports.getMember("memory");
            return memory.hasBufferElements() && memory.getBufferSize() * 10 >= declaredMemory * 9;
        } catch (PolyglotException | UnsupportedOperationException | IllegalStateException e) {
            return false;
        }
    }

    private static Context context(Engine engine, String name, byte[] input, LimitedOutput out, LimitedOutput err,
            List<WorkspaceFileSystem> files, Guest guest) {
        Context.Builder builder = Context.newBuilder("wasm")
                .engine(engine)
                .option("wasm.Builtins", "wasi_snapshot_preview1")
                .in(new ByteArrayInputStream(input))
                .out(out)
                .err(err)
                // No host variable reaches the guest; only those the caller names (a tool call's grant).
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowCreateThread(false)
                .allowNativeAccess(false)
                .allowCreateProcess(false);
        guest.env().forEach(builder::environment);
        if (!guest.args().isEmpty()) {
            builder.arguments("wasm", guest.args().toArray(String[]::new));
        }
        if (files.isEmpty()) {
            builder.allowIO(IOAccess.NONE);
        } else {
            // One directory (every tool call) is the filesystem layer itself; several are routed by host path.
            StringBuilder dirs = new StringBuilder();
            for (int i = 0; i < files.size(); i++) {
                dirs.append(i == 0 ? "" : ",").append(guest.mounts().get(i).guestPath()).append("::")
                        .append(files.get(i).root());
            }
            builder.option("wasm.WasiMapDirs", dirs.toString()).allowIO(IOAccess.newBuilder().fileSystem(
                    files.size() == 1 ? files.get(0) : new MountedFileSystems(files)).build());
        }
        return builder.build();
    }

    /** Ends a running call from another thread; the first reason wins. */
    private static void cancel(SandboxRuntime runtime, AtomicReference<Context> running, AtomicReference<Stop> stop,
            Stop reason) {
        if (stop.compareAndSet(null, reason)) {
            Context context = running.get();
            if (context != null) {
                runtime.watchdog().execute(() -> closeQuietly(context, true));
            }
        }
    }

    private static ToolException failure(String name, PolyglotException e, Stop stop, LimitedOutput err,
            ToolLimits limits) {
        if (stop == Stop.TIMEOUT) {
            return new ToolException(ToolError.Kind.TIMEOUT, name + " did not finish within its limit of "
                    + limits.timeout().toMillis() + " ms and was stopped");
        }
        if (stop == Stop.OUTPUT) {
            return outputTooLarge(name, limits);
        }
        if (stop == Stop.CANCELLED) {
            return new ToolException(ToolError.Kind.UNAVAILABLE, name + " was stopped: the call was cancelled");
        }
        if (e == null) {
            return new ToolException(ToolError.Kind.INTERNAL, name + " was stopped");
        }
        String message = String.valueOf(e.getMessage());
        if (e.isResourceExhausted() || message.contains("call stack exhausted")) {
            return new ToolException(ToolError.Kind.MEMORY_LIMIT, name + " exhausted a resource: " + message);
        }
        if (message.contains("memory") && (message.contains("limit") || message.contains("allocate"))) {
            return new ToolException(ToolError.Kind.MEMORY_LIMIT, name + " ran out of memory ("
                    + (limits.maxMemoryBytes() >> 20) + " MiB limit): " + message);
        }
        if (e.isGuestException()) {
            String detail = err.text().isBlank() ? "" : "; stderr: " + tail(err.text());
            return new ToolException(ToolError.Kind.MODULE_TRAP, name + " trapped: " + message + detail);
        }
        LOG.error("tool {} failed inside the runtime", name, e);
        return new ToolException(ToolError.Kind.INTERNAL, name + " failed inside the runtime: " + message);
    }

    private static ToolException outputTooLarge(String name, ToolLimits limits) {
        return new ToolException(ToolError.Kind.OUTPUT_TOO_LARGE, name + " wrote more than its output limit of "
                + limits.maxOutputBytes() + " bytes");
    }

    /** The last 500 characters of a text, for messages. */
    static String tail(String text) {
        String trimmed = text.strip();
        return trimmed.length() <= 500 ? trimmed : "..." + trimmed.substring(trimmed.length() - 500);
    }

    private static void closeQuietly(Context context, boolean cancel) {
        try {
            context.close(cancel);
        } catch (PolyglotException | IllegalStateException e) {
            // proc_exit surfaces again on close, and a cancelled context reports its cancellation: both expected
        }
    }
}
