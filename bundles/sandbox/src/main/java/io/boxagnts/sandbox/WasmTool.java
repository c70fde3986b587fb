package io.boxagnts.sandbox;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxagnts.api.tool.Tool;
import io.boxagnts.api.tool.ToolError;
import io.boxagnts.api.tool.ToolException;
import io.boxagnts.api.tool.ToolGrant;
import io.boxagnts.api.tool.ToolLimits;
import io.boxagnts.api.tool.ToolRequest;
import io.boxagnts.api.tool.ToolResult;
import io.boxagnts.api.tool.ToolSpec;
import io.boxagnts.api.tool.WorkspaceAccess;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.ByteSequence;
import org.graalvm.polyglot.io.IOAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tool backed by a WASI command module. Each call runs in a fresh {@link Context} on the shared engine, so calls
 * share parsed and compiled code but never memory, files or state; the JSON request goes to stdin and the JSON result
 * comes from stdout. The call's grant applies (the tool registry's policy; else what the descriptor declares): never
 * more workspace access than declared, limits (time, memory, output) within the sandbox's caps.
 */
final class WasmTool implements Tool {

    static final int MAX_INPUT_BYTES = 1 << 20;
    private static final long INTERRUPT_CHECK_MS = 50;
    private static final int MAX_STDERR_BYTES = 16 << 10;
    private static final Logger LOG = LoggerFactory.getLogger(WasmTool.class);

    /** Modules with another memory maximum than their own are kept for this many limits (each is compiled anew). */
    private static final int MAX_VARIANTS = 4;

    private final ToolSpec spec;
    private final byte[] module;
    private final Module declared;
    private final Map<Long, Module> variants = new ConcurrentHashMap<>();
    private final SandboxRuntime runtime;

    /** A module to run and the most linear memory it may grow to (-1 when unknown). */
    private record Module(Source source, long memoryMaximum) {}

    /** What one call runs: the module for its memory limit, its limits, and its workspace access. */
    private record Call(Module module, ToolLimits limits, WorkspaceAccess access) {}

    WasmTool(ToolSpec spec, byte[] module, SandboxRuntime runtime) {
        this.spec = spec;
        this.runtime = runtime;
        this.module = module;
        this.declared = new Module(source(module), ModuleCheck.declaredMemoryMaximum(module));
    }

    private Source source(byte[] bytes) {
        return Source.newBuilder("wasm", ByteSequence.create(bytes), spec.name()).cached(true).buildLiteral();
    }

    /**
     * The call as its grant allows: no more workspace access than declared, limits within the caps, and a memory
     * limit other than the declared one enforced by the module's own maximum, rewritten.
     */
    private Call call(ToolRequest request) throws ToolException {
        ToolGrant grant = request.grantFor(spec);
        ToolLimits limits = runtime.capped(grant.limits());
        WorkspaceAccess declaredAccess = spec.permissions().workspace();
        WorkspaceAccess granted = grant.permissions().workspace();
        WorkspaceAccess access = granted.ordinal() < declaredAccess.ordinal() ? granted : declaredAccess;
        if (limits.maxMemoryBytes() == spec.limits().maxMemoryBytes()) {
            return new Call(declared, limits, access);
        }
        Module limited = variants.get(limits.maxMemoryBytes());
        if (limited == null) {
            try {
                byte[] rewritten = ModuleCheck.withMemoryMaximum(module, limits.maxMemoryBytes());
                limited = new Module(source(rewritten), ModuleCheck.declaredMemoryMaximum(rewritten));
            } catch (IllegalArgumentException e) {
                throw new ToolException(ToolError.Kind.MEMORY_LIMIT, spec.name() + " cannot run within a memory "
                        + "limit of " + (limits.maxMemoryBytes() >> 20) + " MiB: " + e.getMessage());
            }
            if (variants.size() >= MAX_VARIANTS) {
                variants.clear();
            }
            variants.put(limits.maxMemoryBytes(), limited);
        }
        return new Call(limited, limits, access);
    }

    @Override
    public ToolSpec spec() {
        return spec;
    }

    @Override
    public ToolResult invoke(ToolRequest request) throws ToolException {
        byte[] input = checkedInput(request.input());
        Call call = call(request);
        Duration timeout = call.limits().timeout();
        runtime.realCalls().started();
        try {
            return runtime.calls().run(spec.name(), timeout, () -> run(engine(timeout), input, call,
                    runtime.workspace()));
        } catch (ToolException e) {
            log(request, e.error());
            throw e;
        } finally {
            runtime.realCalls().ended();
        }
    }

    /**
     * Runs the tool on a private scratch workspace instead of the user's, outside the cap on concurrent calls, so
     * that the engine compiles its code before a real call needs it ({@link WarmUp}). Interrupting the calling
     * thread ends the call (as for a real one).
     */
    ToolResult warm(String input, WorkspaceRoot scratch) throws ToolException {
        return run(engine(spec.limits().timeout()), checkedInput(input), new Call(declared,
                runtime.capped(spec.limits()), spec.permissions().workspace()), scratch);
    }

    /** Sandbox violations are the operator's business; a tool's own failures (bad input, no such file) are not. */
    private void log(ToolRequest request, ToolError error) {
        switch (error.kind()) {
            case TOOL_FAILED, INVALID_INPUT -> LOG.debug("tool {} call {}: {}", spec.name(), request.callId(), error);
            default -> LOG.warn("tool {} call {} stopped: {}: {}", spec.name(), request.callId(), error.kind(),
                    error.message());
        }
    }

    private byte[] checkedInput(String input) throws ToolException {
        byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_INPUT_BYTES) {
            throw new ToolException(ToolError.Kind.INVALID_INPUT, "the input is " + bytes.length
                    + " bytes; a tool takes at most " + MAX_INPUT_BYTES);
        }
        try {
            if (!JsonParser.parseString(input).isJsonObject()) {
                throw new ToolException(ToolError.Kind.INVALID_INPUT, "the input must be a JSON object");
            }
        } catch (RuntimeException e) {
            throw new ToolException(ToolError.Kind.INVALID_INPUT, "the input is not valid JSON: " + e.getMessage());
        }
        return bytes;
    }

    private Engine engine(Duration timeout) throws ToolException {
        try {
            return runtime.engine().get(Math.max(timeout.toMillis(), 5000), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ToolException(ToolError.Kind.UNAVAILABLE, "the WASM engine is still starting; try again");
        } catch (ExecutionException e) {
            throw new ToolException(ToolError.Kind.UNAVAILABLE, "the WASM engine could not start: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException(ToolError.Kind.UNAVAILABLE, "interrupted while waiting for the WASM engine");
        }
    }

    private enum Stop { TIMEOUT, OUTPUT, CANCELLED }

    private ToolResult run(Engine engine, byte[] input, Call call, WorkspaceRoot workspace) throws ToolException {
        ToolLimits limits = call.limits();
        AtomicReference<Stop> stop = new AtomicReference<>();
        AtomicReference<Context> running = new AtomicReference<>();
        Runnable cancelForOutput = () -> cancel(running, stop, Stop.OUTPUT);
        LimitedOutput out = new LimitedOutput(limits.maxOutputBytes(), cancelForOutput);
        LimitedOutput err = new LimitedOutput(MAX_STDERR_BYTES, () -> { });
        long started = System.nanoTime();
        WorkspaceFileSystem files = call.access() == WorkspaceAccess.NONE ? null
                : new WorkspaceFileSystem(workspace, call.access() == WorkspaceAccess.WRITE);
        Context context = context(engine, input, out, err, files);
        running.set(context);
        ScheduledFuture<?> watchdog = runtime.watchdog().schedule(() -> cancel(running, stop, Stop.TIMEOUT),
                limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
        // Guest code does not see Thread.interrupt(): an interrupt of the thread running the call (a cancelled agent
        // turn interrupts its caller, ToolThreads passes that on) closes the context.
        Thread caller = Thread.currentThread();
        ScheduledFuture<?> interruptWatch = runtime.watchdog().scheduleWithFixedDelay(() -> {
            if (caller.isInterrupted()) {
                cancel(running, stop, Stop.CANCELLED);
            }
        }, INTERRUPT_CHECK_MS, INTERRUPT_CHECK_MS, TimeUnit.MILLISECONDS);
        int exitCode = 0;
        Value exports = null;
        try {
            exports = context.eval(call.module().source()).newInstance().getMember("exports");
            exports.getMember("_start").executeVoid();
        } catch (PolyglotException e) {
            if (e.isExit()) {
                exitCode = e.getExitStatus();
            } else if (stop.get() == null && e.isGuestException() && memoryExhausted(exports, call.module())) {
                throw new ToolException(ToolError.Kind.MEMORY_LIMIT, spec.name() + " used all the memory it may ("
                        + (limits.maxMemoryBytes() >> 20) + " MiB) and then failed: " + e.getMessage());
            } else {
                throw failure(e, stop.get(), err, limits);
            }
        } catch (IllegalStateException e) {
            // the context was closed under us by the watchdog
            throw failure(null, stop.get(), err, limits);
        } finally {
            watchdog.cancel(false);
            interruptWatch.cancel(false);
            running.set(null);
            closeQuietly(context);
        }
        Duration duration = Duration.ofNanos(System.nanoTime() - started);
        if (out.overflowed() || stop.get() == Stop.OUTPUT) {
            throw outputTooLarge(limits);
        }
        try {
            return result(exitCode, out.text(), err.text(), duration);
        } catch (ToolException e) {
            if (files != null && files.firstDenial().isPresent()) {
                // The tool failed after the sandbox refused it something: that refusal is the reason to report, on
                // its own. What the tool says then is a guess from an error code (a link refused by GraalWasm's WASI
                // reads to the tool as "no such file"), which only confuses.
                LOG.debug("tool {} failed after a refusal: {}", spec.name(), e.error().message());
                throw new ToolException(new ToolError(ToolError.Kind.PERMISSION_DENIED, files.firstDenial().get()), e);
            }
            throw e;
        }
    }

    /**
     * Whether the module's memory stands at (within 10% of) its declared maximum when it trapped: it grew until
     * refused, as an allocator does before it aborts.
     */
    private static boolean memoryExhausted(Value exports, Module module) {
        long declaredMemory = module.memoryMaximum();
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

    private Context context(Engine engine, byte[] input, LimitedOutput out, LimitedOutput err,
            WorkspaceFileSystem files) {
        Context.Builder builder = Context.newBuilder("wasm")
                .engine(engine)
                .option("wasm.Builtins", "wasi_snapshot_preview1")
                .in(new ByteArrayInputStream(input))
                .out(out)
                .err(err)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowCreateThread(false)
                .allowNativeAccess(false)
                .allowCreateProcess(false);
        if (files == null) {
            builder.allowIO(IOAccess.NONE);
        } else {
            builder.option("wasm.WasiMapDirs", "/::" + files.root())
                    .allowIO(IOAccess.newBuilder().fileSystem(files).build());
        }
        return builder.build();
    }

    /** Ends a running call from another thread; the first reason wins. */
    private void cancel(AtomicReference<Context> running, AtomicReference<Stop> stop, Stop reason) {
        if (stop.compareAndSet(null, reason)) {
            Context context = running.get();
            if (context != null) {
                runtime.watchdog().execute(() -> closeQuietly(context, true));
            }
        }
    }

    private ToolException failure(PolyglotException e, Stop stop, LimitedOutput err, ToolLimits limits) {
        if (stop == Stop.TIMEOUT) {
            return new ToolException(ToolError.Kind.TIMEOUT, spec.name() + " did not finish within its limit of "
                    + limits.timeout().toMillis() + " ms and was stopped");
        }
        if (stop == Stop.OUTPUT) {
            return outputTooLarge(limits);
        }
        if (stop == Stop.CANCELLED) {
            return new ToolException(ToolError.Kind.UNAVAILABLE, spec.name() + " was stopped: the call was cancelled");
        }
        if (e == null) {
            return new ToolException(ToolError.Kind.INTERNAL, spec.name() + " was stopped");
        }
        String message = String.valueOf(e.getMessage());
        if (e.isResourceExhausted() || message.contains("call stack exhausted")) {
            return new ToolException(ToolError.Kind.MEMORY_LIMIT, spec.name() + " exhausted a resource: " + message);
        }
        if (message.contains("memory") && (message.contains("limit") || message.contains("allocate"))) {
            return new ToolException(ToolError.Kind.MEMORY_LIMIT, spec.name() + " ran out of memory ("
                    + (limits.maxMemoryBytes() >> 20) + " MiB limit): " + message);
        }
        if (e.isGuestException()) {
            String detail = err.text().isBlank() ? "" : "; stderr: " + tail(err.text());
            return new ToolException(ToolError.Kind.MODULE_TRAP, spec.name() + " trapped: " + message + detail);
        }
        LOG.error("tool {} failed inside the runtime", spec.name(), e);
        return new ToolException(ToolError.Kind.INTERNAL, spec.name() + " failed inside the runtime: " + message);
    }

    private ToolException outputTooLarge(ToolLimits limits) {
        return new ToolException(ToolError.Kind.OUTPUT_TOO_LARGE, spec.name() + " wrote more than its output limit of "
                + limits.maxOutputBytes() + " bytes");
    }

    /** Exit 0 and one JSON object: the result. Otherwise the tool's own error envelope, or what it left behind. */
    private ToolResult result(int exitCode, String stdout, String stderr, Duration duration) throws ToolException {
        JsonObject json = jsonObject(stdout);
        if (exitCode == 0) {
            if (json == null) {
                throw new ToolException(ToolError.Kind.BAD_OUTPUT, spec.name()
                        + " succeeded but its output is not one JSON object: " + tail(stdout));
            }
            return new ToolResult(json.toString(), duration);
        }
        if (json != null && json.has("error") && json.get("error").isJsonObject()) {
            JsonObject error = json.getAsJsonObject("error");
            String kind = error.has("kind") ? error.get("kind").getAsString() : "failed";
            String message = error.has("message") ? error.get("message").getAsString() : "failed";
            throw new ToolException("invalid_input".equals(kind) ? ToolError.Kind.INVALID_INPUT
                    : ToolError.Kind.TOOL_FAILED, message);
        }
        throw new ToolException(ToolError.Kind.TOOL_FAILED, spec.name() + " exited with code " + exitCode
                + (stderr.isBlank() ? "" : ": " + tail(stderr)));
    }

    private static JsonObject jsonObject(String text) {
        try {
            JsonElement element = JsonParser.parseString(text);
            return element.isJsonObject() ? element.getAsJsonObject() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String tail(String text) {
        String trimmed = text.strip();
        return trimmed.length() <= 500 ? trimmed : "..." + trimmed.substring(trimmed.length() - 500);
    }

    private static void closeQuietly(Context context) {
        closeQuietly(context, false);
    }

    private static void closeQuietly(Context context, boolean cancel) {
        try {
            context.close(cancel);
        } catch (PolyglotException | IllegalStateException e) {
            // proc_exit surfaces again on close, and a cancelled context reports its cancellation: both expected
        }
    }
}
