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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.io.ByteSequence;
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
    private static final Logger LOG = LoggerFactory.getLogger(WasmTool.class);

    /** Modules with another memory maximum than their own are kept for this many limits (each is compiled anew). */
    private static final int MAX_VARIANTS = 4;

    private final ToolSpec spec;
    private final byte[] module;
    private final Module declared;
    private final Map<Long, Module> variants = new ConcurrentHashMap<>();
    private final SandboxRuntime runtime;
    private final boolean webFetch;
    /** Whether a real call has started: from then on, warming this tool up on the workspace serves no first call. */
    private volatile boolean called;

    /**
     * A module to run and the most linear memory it may grow to (-1 when unknown). Its {@link Source} is made at its
     * first run, not when the tool is registered: making one initialises the polyglot implementation (Truffle, JVMCI
     * and the Graal compiler's set-up), which would otherwise run in FileInstall's first scan of plugins/ on the
     * framework's start-level thread, before the HTTP server starts (benchmarks/README.md, start-up). One Source per
     * module, as the engine caches the parsed module by it.
     */
    private static final class Module {
        private final byte[] bytes;
        private final String name;
        private final long memoryMaximum;
        private final boolean readsDirectories;
        private volatile Source source;

        Module(byte[] bytes, String name) {
            this.bytes = bytes;
            this.name = name;
            this.memoryMaximum = ModuleCheck.declaredMemoryMaximum(bytes);
            this.readsDirectories = ModuleCheck.imports(bytes).contains(ReadDirImport.QUALIFIED);
        }

        long memoryMaximum() {
            return memoryMaximum;
        }

        /** Whether it imports {@code boxagnts.read_dir}, which every run of it is then given. */
        boolean readsDirectories() {
            return readsDirectories;
        }

        Source source() {
            Source made = source;
            if (made == null) {
                synchronized (this) {
                    made = source;
                    if (made == null) {
                        made = Source.newBuilder("wasm", ByteSequence.create(bytes), name).cached(true).buildLiteral();
                        source = made;
                    }
                }
            }
            return made;
        }
    }

    /** What one call runs: the module for its memory limit, its limits, and its workspace access. */
    private record Call(Module module, ToolLimits limits, WorkspaceAccess access) {

        /** The most linear memory the call may grow to: its limit, or less when the module itself declares less. */
        long memoryBytes() {
            long declared = module.memoryMaximum();
            return declared >= 0 ? Math.min(declared, limits.maxMemoryBytes()) : limits.maxMemoryBytes();
        }
    }

    WasmTool(ToolSpec spec, byte[] module, SandboxRuntime runtime) {
        this(spec, module, runtime, false);
    }

    /** @param webFetch whether the module may import {@code boxagnts.web_fetch} (its descriptor declares it) */
    WasmTool(ToolSpec spec, byte[] module, SandboxRuntime runtime, boolean webFetch) {
        this.webFetch = webFetch;
        this.spec = spec;
        this.runtime = runtime;
        this.module = module;
        this.declared = new Module(module, spec.name());
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
                limited = new Module(rewritten, spec.name());
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
        called = true;
        runtime.realCalls().started();
        try {
            return runtime.calls().run(spec.name(), timeout, call.memoryBytes(), () -> run(engine(timeout), input,
                    call, workspace(timeout), request));
        } catch (ToolException e) {
            log(request, e.error());
            throw e;
        } finally {
            runtime.realCalls().ended();
        }
    }

    /** Whether a real call of this tool has started since it was deployed. */
    boolean called() {
        return called;
    }

    /**
     * Runs the tool on a private scratch workspace instead of the user's, outside the cap on concurrent calls, so
     * that the engine compiles its code before a real call needs it ({@link WarmUp}). Interrupting the calling
     * thread ends the call (as for a real one).
     */
    ToolResult warm(String input, WorkspaceRoot scratch) throws ToolException {
        return run(engine(spec.limits().timeout()), checkedInput(input), new Call(declared,
                runtime.capped(spec.limits()), spec.permissions().workspace()), scratch, null);
    }

    /** Sandbox violations are the operator's business; a tool's own failures (bad input, no such file) are not. */
    private void log(ToolRequest request, ToolError error) {
        switch (error.kind()) {
            case TOOL_FAILED, INVALID_INPUT -> LOG.debug("tool {} call {}: {}", spec.name(), request.callId(), error);
            default -> LOG.warn("tool {} call {} stopped: {}: {}", spec.name(), request.callId(), error.kind(),
                    error.message());
        }
    }

    /** A tool input as the runtime takes it: a JSON object of at most 1 MiB. */
    static byte[] checkedInput(String input) throws ToolException {
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
        return await(runtime.engine(), timeout, "the WASM engine", "the WASM engine is still starting; try again",
                "the WASM engine could not start: ");
    }

    /** The user's workspace, which the sandbox opens (and links its system calls for) after start: decision 0041. */
    private WorkspaceRoot workspace(Duration timeout) throws ToolException {
        return await(runtime.workspace(), timeout, "the workspace", "the sandbox is still opening the workspace; try "
                + "again", "the sandbox cannot confine tools to the workspace, so it runs none: ");
    }

    /** What the runtime makes after start, waited for up to the call's time limit (at least 5 s). */
    private static <T> T await(CompletableFuture<T> pending, Duration timeout, String what, String stillStarting,
            String failed) throws ToolException {
        try {
            return pending.get(Math.max(timeout.toMillis(), 5000), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ToolException(ToolError.Kind.UNAVAILABLE, stillStarting);
        } catch (ExecutionException e) {
            throw new ToolException(ToolError.Kind.UNAVAILABLE, failed + e.getCause());
        } catch (CancellationException e) {
            throw new ToolException(ToolError.Kind.UNAVAILABLE, "the sandbox is stopping");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException(ToolError.Kind.UNAVAILABLE, "interrupted while waiting for " + what);
        }
    }

    /** @param request the call, for the web fetch import's log; null for a warm-up run (which may not fetch) */
    private ToolResult run(Engine engine, byte[] input, Call call, WorkspaceRoot workspace, ToolRequest request)
            throws ToolException {
        return interpret(ModuleRun.run(runtime, engine, spec.name(), call.module().source(),
                call.module().memoryMaximum(), input, call.limits(), call.access(),
                ModuleRun.Guest.tool(call.access(), workspace), webImport(request, call.limits()),
                call.module().readsDirectories()));
    }

    /** The web fetch import of one run, for a tool that declares it; null for any other tool. */
    private WebFetchImport webImport(ToolRequest request, ToolLimits limits) {
        if (!webFetch) {
            return null;
        }
        return new WebFetchImport(request == null ? () -> null : runtime.web(), spec.name(),
                request == null ? "warm-up" : request.callId(), request == null ? "" : request.origin().caller(),
                System.nanoTime() + limits.timeout().toNanos());
    }

    /**
     * Runs the module as a call under {@code request}'s grant would run (workspace access narrowed to the declared
     * one, limits capped, the memory limit enforced by the module's rewritten maximum), with {@code stdin} as it is
     * and the guest's arguments, environment and directories, and hands back how it ended, uninterpreted: what
     * {@code boxagnts tool run} shows a tool author. On the calling thread, outside the cap on concurrent calls.
     */
    ModuleRun.Outcome runModule(ToolRequest request, byte[] stdin, ModuleRun.Guest guest) throws ToolException {
        Call call = call(request);
        return ModuleRun.run(runtime, engine(call.limits().timeout()), spec.name(), call.module().source(),
                call.module().memoryMaximum(), stdin, call.limits(), call.access(), guest,
                webImport(request, call.limits()), call.module().readsDirectories());
    }

    /** What a call makes of a run: its result, or the error the call ends with. */
    ToolResult interpret(ModuleRun.Outcome outcome) throws ToolException {
        try {
            return result(outcome.exitCode(), outcome.stdout(), outcome.stderr(), outcome.duration());
        } catch (ToolException e) {
            if (outcome.denial().isPresent()) {
                // The tool failed after the sandbox refused it something: that refusal is the reason to report, on
                // its own. What the tool says then is a guess from an error code (a link refused by GraalWasm's WASI
                // reads to the tool as "no such file"), which only confuses.
                LOG.debug("tool {} failed after a refusal: {}", spec.name(), e.error().message());
                throw new ToolException(new ToolError(ToolError.Kind.PERMISSION_DENIED, outcome.denial().get()), e);
            }
            if (outcome.fetchTimeout().isPresent()) {
                // The host's fetch ran out of time: a time limit, reported like the sandbox's own (TIMEOUT), on the
                // host's word; a tool cannot claim it by naming the kind in its error.
                throw new ToolException(new ToolError(ToolError.Kind.TIMEOUT, spec.name() + ": "
                        + outcome.fetchTimeout().get()), e);
            }
            throw e;
        }
    }

    /** Exit 0 and one JSON object: the result. Otherwise the tool's own error envelope, or what it left behind. */
    private ToolResult result(int exitCode, String stdout, String stderr, Duration duration) throws ToolException {
        JsonObject json = jsonObject(stdout);
        if (exitCode == 0) {
            if (json == null) {
                throw new ToolException(ToolError.Kind.BAD_OUTPUT, spec.name()
                        + " succeeded but its output is not one JSON object: " + ModuleRun.tail(stdout));
            }
            return new ToolResult(json.toString(), duration);
        }
        if (json != null && json.has("error") && json.get("error").isJsonObject()) {
            JsonObject error = json.getAsJsonObject("error");
            String kind = error.has("kind") ? error.get("kind").getAsString() : "failed";
            String message = error.has("message") ? error.get("message").getAsString() : "failed";
            throw new ToolException(switch (kind) {
                case "invalid_input" -> ToolError.Kind.INVALID_INPUT;
                case "permission_denied" -> ToolError.Kind.PERMISSION_DENIED;
                default -> ToolError.Kind.TOOL_FAILED;
            }, message);
        }
        throw new ToolException(ToolError.Kind.TOOL_FAILED, spec.name() + " exited with code " + exitCode
                + (stderr.isBlank() ? "" : ": " + ModuleRun.tail(stderr)));
    }

    private static JsonObject jsonObject(String text) {
        try {
            JsonElement element = JsonParser.parseString(text);
            return element.isJsonObject() ? element.getAsJsonObject() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
