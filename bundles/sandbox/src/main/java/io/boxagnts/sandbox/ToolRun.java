package io.boxagnts.sandbox;

import io.boxagnts.api.tool.ToolError;
import io.boxagnts.api.tool.ToolException;
import io.boxagnts.api.tool.ToolGrant;
import io.boxagnts.api.tool.ToolLimits;
import io.boxagnts.api.tool.ToolPermissions;
import io.boxagnts.api.tool.ToolRequest;
import io.boxagnts.api.tool.ToolSpec;
import io.boxagnts.api.tool.WorkspaceAccess;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * {@code boxagnts tool run}: runs a tool bundle or a bare WASI command module once, in the production sandbox (the
 * engine {@link EngineHolder} builds, {@link ModuleRun}'s context, {@link WorkspaceFileSystem}, the limits and the
 * checks the extender applies to a bundle), with stdin as its input, and prints its stdout and stderr; the exit
 * status is the module's own, or one per sandbox error kind (the README's table, {@link Status}).
 */
public final class ToolRun {

    static final String USAGE = """
            Usage: boxagnts tool run <bundle.jar|module.wasm> [--dir HOST[:GUEST]]... [--grant read|write] [--env K=V]...
                                     [--timeout-ms N] [--memory-mb N] [-- ARGS...] < request.json

            Runs a tool bundle, or a bare WASI command module, once in BoxAgnts' sandbox (the same engine, filesystem
            layer and limits as the runtime), with standard input as its input; prints what it writes to stdout and
            stderr, and exits with its exit status or one of these:
              200 usage       the command line, the file or the input is wrong
              201 refused     the runtime would refuse the bundle or module (the reason follows)
              202 TIMEOUT     203 MEMORY_LIMIT    204 OUTPUT_TOO_LARGE    205 MODULE_TRAP
              206 PERMISSION_DENIED (the sandbox refused it a file, and it failed)
              207 BAD_OUTPUT  (a tool bundle that exited 0 without one JSON object on stdout)
              208 UNAVAILABLE or INTERNAL (the engine could not run it)

            Options:
              --dir HOST[:GUEST]   a directory the module sees, at GUEST (default /, as the runtime maps the
                                   workspace); without one the module sees no files. Several may be given, each
                                   at its own GUEST path, none inside another (and no HOST inside another)
              --grant read|write   its access to those directories (default: what the bundle declares; read for a
                                   module); a bundle never gets more than it declares
              --env K=V            an environment variable (modules only; tool bundles get none in the runtime)
              --timeout-ms N       time limit (default: the bundle's; 10000 for a module)
              --memory-mb N        memory limit, replacing the module's declared maximum (default: the bundle's;
                                   64 for a module)
              -- ARGS...           program arguments (modules only)
            """;

    /** Exit statuses of {@code tool run} that are not the module's own. */
    enum Status {
        USAGE(200), REFUSED(201), TIMEOUT(202), MEMORY_LIMIT(203), OUTPUT_TOO_LARGE(204), MODULE_TRAP(205),
        PERMISSION_DENIED(206), BAD_OUTPUT(207), UNAVAILABLE(208);

        final int code;

        Status(int code) {
            this.code = code;
        }

        static Status of(ToolError.Kind kind) {
            return switch (kind) {
                case TIMEOUT -> TIMEOUT;
                case MEMORY_LIMIT -> MEMORY_LIMIT;
                case OUTPUT_TOO_LARGE -> OUTPUT_TOO_LARGE;
                case MODULE_TRAP -> MODULE_TRAP;
                case PERMISSION_DENIED -> PERMISSION_DENIED;
                case BAD_OUTPUT -> BAD_OUTPUT;
                case INVALID_INPUT -> USAGE;
                default -> UNAVAILABLE;
            };
        }
    }

    /** The sandbox's default caps (GraalWasmSandbox.Config): no tool may declare or be granted more. */
    static final ToolDescriptor.Caps CAPS = new ToolDescriptor.Caps(Duration.ofSeconds(60), 512L << 20, 8192L << 10);
    private static final long MAX_MODULE_BYTES = 32L << 20;
    private static final ToolLimits MODULE_DEFAULTS = new ToolLimits(Duration.ofSeconds(10), 64L << 20, 1L << 20);

    private final PrintStream out;
    private final PrintStream err;

    /** A wrong command line, file or input: status 200. */
    private static final class UsageError extends Exception {
        private static final long serialVersionUID = 1L;

        UsageError(String message) {
            super(message);
        }
    }

    /** What was asked for, parsed. */
    private record Options(Path file, List<Dir> dirs, WorkspaceAccess grant, Map<String, String> env,
            long timeoutMs, long memoryMb, List<String> args) {}

    /** A {@code --dir}: the host directory (real path) and where the guest sees it. */
    private record Dir(Path host, String guest) {}

    /** A tool bundle or module made ready to run: the tool, its grant, and whether it is a bundle. */
    private record Loaded(WasmTool tool, ToolGrant grant, boolean bundle) {}

    private ToolRun(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int status = new ToolRun(System.out, System.err).run(List.of(args), System.in);
        System.out.flush();
        System.exit(status);
    }

    int run(List<String> args, InputStream stdin) {
        Options options;
        byte[] input;
        try {
            options = parse(args);
            if (options == null) {
                out.print(USAGE);
                return 0;
            }
            input = stdin.readAllBytes();
            if (input.length > WasmTool.MAX_INPUT_BYTES) {
                throw new UsageError("the input is " + input.length + " bytes; a tool takes at most "
                        + WasmTool.MAX_INPUT_BYTES);
            }
        } catch (UsageError e) {
            return fail(Status.USAGE, e.getMessage());
        } catch (IOException e) {
            return fail(Status.USAGE, "standard input cannot be read: " + e.getMessage());
        }
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("boxagnts-sandbox-watchdog").daemon().factory());
        EngineHolder engine = new EngineHolder(null);
        List<ModuleRun.Mount> mounts = new ArrayList<>();
        ToolThreads calls = new ToolThreads(1);
        Path using = options.file();
        try {
            for (Dir dir : options.dirs()) {
                using = dir.host();
                mounts.add(new ModuleRun.Mount(dir.guest(), WorkspaceRoot.open(dir.host(), false)));
            }
            using = options.file();
            SandboxRuntime runtime = new SandboxRuntime(engine.future(), mounts.isEmpty() ? null
                    : mounts.get(0).root(), calls, watchdog,
                    new ToolLimits(CAPS.timeout(), CAPS.memoryBytes(), CAPS.outputBytes()));
            Loaded loaded = load(options, runtime);
            engine.build();
            return execute(loaded, options, input, mounts);
        } catch (UsageError e) {
            return fail(Status.USAGE, e.getMessage());
        } catch (IllegalArgumentException e) {
            return fail(Status.REFUSED, options.file().getFileName() + " would be refused: " + e.getMessage());
        } catch (IOException e) {
            return fail(Status.USAGE, "cannot use " + using + ": " + e.getMessage());
        } finally {
            engine.close();
            calls.close();
            watchdog.shutdownNow();
            mounts.forEach(mount -> mount.root().close());
        }
    }

    private int execute(Loaded loaded, Options options, byte[] input, List<ModuleRun.Mount> mounts) {
        WasmTool tool = loaded.tool();
        ModuleRun.Outcome outcome;
        try {
            if (loaded.bundle()) {
                WasmTool.checkedInput(new String(input, StandardCharsets.UTF_8));
            }
            // A module's argv[0] is its name, as a shell would pass it; a tool bundle gets no arguments at all.
            List<String> argv = new ArrayList<>();
            if (!loaded.bundle()) {
                argv.add(tool.spec().name());
                argv.addAll(options.args());
            }
            outcome = tool.runModule(new ToolRequest("tool-run", "{}").withGrant(loaded.grant()), input,
                    new ModuleRun.Guest(argv, options.env(), mounts));
        } catch (ToolException e) {
            return fail(Status.of(e.error().kind()), e.error().kind() + ": " + e.error().message());
        }
        out.print(outcome.stdout());
        out.flush();
        err.print(outcome.stderr());
        err.flush();
        try {
            if (loaded.bundle()) {
                // What the runtime would make of it: a result, the tool's own error, or a sandbox error.
                tool.interpret(outcome);
            } else if (outcome.exitCode() != 0 && outcome.denial().isPresent()) {
                throw new ToolException(ToolError.Kind.PERMISSION_DENIED, outcome.denial().get());
            }
        } catch (ToolException e) {
            ToolError.Kind kind = e.error().kind();
            if (kind == ToolError.Kind.TOOL_FAILED || kind == ToolError.Kind.INVALID_INPUT) {
                // the tool's own failure, in its own words: its exit status stays
                err.println("boxagnts tool run: " + kind + ": " + e.error().message());
                return outcome.exitCode();
            }
            return fail(Status.of(kind), kind + ": " + e.error().message());
        }
        return outcome.exitCode();
    }

    private int fail(Status status, String message) {
        err.println("boxagnts tool run: " + message);
        return status.code;
    }

    /** @return null for --help */
    private static Options parse(List<String> args) throws UsageError {
        if (args.isEmpty() || !args.get(0).equals("run")) {
            throw new UsageError("the tool command is 'tool run'; see boxagnts tool run --help");
        }
        Path file = null;
        List<Dir> dirs = new ArrayList<>();
        WorkspaceAccess grant = null;
        Map<String, String> env = new LinkedHashMap<>();
        long timeoutMs = 0;
        long memoryMb = 0;
        List<String> programArgs = new ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                programArgs.addAll(args.subList(i + 1, args.size()));
                break;
            }
            switch (arg) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--dir" -> dirs.add(dir(value(args, ++i, arg), dirs));
                case "--grant" -> {
                    String value = value(args, ++i, arg);
                    grant = switch (value) {
                        case "read" -> WorkspaceAccess.READ;
                        case "write" -> WorkspaceAccess.WRITE;
                        default -> throw new UsageError("--grant is read or write, not '" + value + "'");
                    };
                }
                case "--env" -> {
                    String value = value(args, ++i, arg);
                    int equals = value.indexOf('=');
                    if (equals <= 0) {
                        throw new UsageError("--env takes NAME=VALUE, not '" + value + "'");
                    }
                    env.put(value.substring(0, equals), value.substring(equals + 1));
                }
                case "--timeout-ms" -> timeoutMs = positive(args, ++i, arg);
                case "--memory-mb" -> memoryMb = positive(args, ++i, arg);
                default -> {
                    if (arg.startsWith("-") || file != null) {
                        throw new UsageError("unknown option or second file '" + arg + "'; see boxagnts tool run "
                                + "--help");
                    }
                    file = Path.of(arg);
                }
            }
        }
        if (file == null) {
            throw new UsageError("name the tool bundle (.jar) or WASI module (.wasm) to run");
        }
        if (grant != null && dirs.isEmpty()) {
            throw new UsageError("--grant needs --dir: without a directory the module sees no files");
        }
        return new Options(file, List.copyOf(dirs), grant, env, timeoutMs, memoryMb, programArgs);
    }

    /**
     * One {@code --dir HOST[:GUEST]}, checked against those before it: no guest path twice or inside another (which
     * directory a guest path meant would depend on the module's libc), and no host directory inside another (the
     * filesystem layer routes by host path).
     */
    private static Dir dir(String value, List<Dir> before) throws UsageError {
        int colon = value.indexOf(':');
        Path host = Path.of(colon < 0 ? value : value.substring(0, colon));
        String guest = colon < 0 ? "/" : value.substring(colon + 1);
        if (!guest.startsWith("/") || !Path.of(guest).normalize().toString().equals(guest) || guest.contains(",")
                || guest.contains(":")) {
            throw new UsageError("--dir " + value + ": the guest path must be absolute and plain (no '.', '..', "
                    + "trailing '/', ',' or ':'), e.g. /data");
        }
        if (!Files.isDirectory(host)) {
            throw new UsageError("--dir " + host + " is not a directory");
        }
        Path real;
        try {
            real = host.toRealPath();
        } catch (IOException e) {
            throw new UsageError("--dir " + host + " cannot be used: " + e.getMessage());
        }
        if (real.toString().contains(",")) {
            throw new UsageError("--dir " + host + ": a directory whose path holds ',' cannot be mapped (the "
                    + "engine's list of mapped directories is comma-separated)");
        }
        for (Dir other : before) {
            if (other.guest().equals(guest)) {
                throw new UsageError("--dir " + value + ": the guest path " + guest + " is given twice (also for "
                        + other.host() + ")");
            }
            Path a = Path.of(guest);
            Path b = Path.of(other.guest());
            if (a.startsWith(b) || b.startsWith(a)) {
                throw new UsageError("--dir " + value + ": the guest paths " + guest + " and " + other.guest() + " (of "
                        + other.host() + ") overlap; give each directory its own guest path, none inside another, "
                        + "e.g. --dir " + host + ":/" + (host.getFileName() == null ? "data" : host.getFileName()));
            }
            if (real.startsWith(other.host()) || other.host().startsWith(real)) {
                throw new UsageError("--dir " + value + ": " + real + " and " + other.host() + " overlap on the host "
                        + "(one is, or is inside, the other); map each directory once");
            }
        }
        return new Dir(real, guest);
    }

    private static String value(List<String> args, int i, String option) throws UsageError {
        if (i >= args.size()) {
            throw new UsageError(option + " needs a value");
        }
        return args.get(i);
    }

    private static long positive(List<String> args, int i, String option) throws UsageError {
        String value = value(args, i, option);
        try {
            long n = Long.parseLong(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageError(option + " takes a positive whole number, not '" + value + "'");
    }

    private static Loaded load(Options options, SandboxRuntime runtime) throws IOException, UsageError {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(options.file());
        } catch (IOException e) {
            throw new UsageError(options.file() + " cannot be read: " + e);
        }
        boolean bundle = bytes.length >= 2 && bytes[0] == 'P' && bytes[1] == 'K';
        if (!bundle && !(bytes.length >= 4 && bytes[0] == 0 && bytes[1] == 'a' && bytes[2] == 's' && bytes[3] == 'm')) {
            throw new UsageError(options.file() + " is neither a tool bundle (a jar) nor a WASM module");
        }
        return bundle ? bundle(options, runtime) : module(options, runtime, bytes);
    }

    /** A tool bundle, checked as the runtime's extender checks it. */
    private static Loaded bundle(Options options, SandboxRuntime runtime) throws IOException, UsageError {
        if (!options.env().isEmpty() || !options.args().isEmpty()) {
            throw new UsageError("a tool bundle gets no environment and no arguments in the runtime; --env and "
                    + "ARGS are for bare WASI modules");
        }
        try (JarFile jar = new JarFile(options.file().toFile())) {
            var main = jar.getManifest() == null ? null : jar.getManifest().getMainAttributes();
            String descriptorPath = main == null ? null : main.getValue("BoxAgnts-Tool");
            if (descriptorPath == null) {
                throw new IllegalArgumentException("it is not a tool bundle: its manifest has no BoxAgnts-Tool header");
            }
            String version = main.getValue("Bundle-Version") == null ? "0.0.0" : main.getValue("Bundle-Version");
            ToolDescriptor descriptor = ToolDescriptor.parse(new String(entry(jar, descriptorPath, 256 << 10),
                    StandardCharsets.UTF_8), version, CAPS);
            ToolSpec spec = descriptor.spec();
            byte[] module = entry(jar, descriptor.module(), MAX_MODULE_BYTES);
            ModuleCheck.problem(module, spec.limits().maxMemoryBytes()).ifPresent(problem -> {
                throw new IllegalArgumentException("module " + descriptor.module() + ": " + problem);
            });
            ToolExtender.checkImports(descriptor, module);
            WorkspaceAccess access = options.dirs().isEmpty() ? WorkspaceAccess.NONE
                    : options.grant() != null ? options.grant() : spec.permissions().workspace();
            ToolGrant grant = new ToolGrant(new ToolPermissions(access, spec.permissions().network()),
                    limits(options, spec.limits()));
            // A web_fetch-style tool links, and is told that this runtime has no web fetcher.
            return new Loaded(new WasmTool(spec, module, runtime, descriptor.webFetch()), grant, true);
        }
    }

    /** A bare module: its memory limit replaces its declared maximum, as a limit set by an administrator does. */
    private static Loaded module(Options options, SandboxRuntime runtime, byte[] bytes) throws UsageError {
        ToolLimits limits = limits(options, MODULE_DEFAULTS);
        byte[] module = ModuleCheck.withMemoryMaximum(bytes, limits.maxMemoryBytes());
        ModuleCheck.problem(module, limits.maxMemoryBytes()).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        WorkspaceAccess access = options.dirs().isEmpty() ? WorkspaceAccess.NONE
                : options.grant() != null ? options.grant() : WorkspaceAccess.READ;
        String name = options.file().getFileName().toString().replaceFirst("\\.wasm$", "");
        ToolSpec spec = new ToolSpec(name.isEmpty() ? "module" : name, "a WASI command module",
                "{\"type\":\"object\"}", new ToolPermissions(access), limits, "0", null);
        return new Loaded(new WasmTool(spec, module, runtime), new ToolGrant(new ToolPermissions(access), limits),
                false);
    }

    private static ToolLimits limits(Options options, ToolLimits base) throws UsageError {
        Duration timeout = options.timeoutMs() > 0 ? Duration.ofMillis(options.timeoutMs()) : base.timeout();
        long memory = options.memoryMb() > 0 ? options.memoryMb() << 20 : base.maxMemoryBytes();
        if (timeout.compareTo(CAPS.timeout()) > 0) {
            throw new UsageError("--timeout-ms " + options.timeoutMs() + " is above the sandbox's cap of "
                    + CAPS.timeout().toMillis());
        }
        if (memory > CAPS.memoryBytes()) {
            throw new UsageError("--memory-mb " + options.memoryMb() + " is above the sandbox's cap of "
                    + (CAPS.memoryBytes() >> 20));
        }
        return new ToolLimits(timeout, memory, base.maxOutputBytes());
    }

    private static byte[] entry(JarFile jar, String path, long limit) throws IOException {
        ZipEntry entry = jar.getEntry(path);
        if (entry == null) {
            throw new IllegalArgumentException("the bundle has no entry " + path);
        }
        try (InputStream in = jar.getInputStream(entry)) {
            return ToolExtender.read(in, path, limit);
        }
    }
}
