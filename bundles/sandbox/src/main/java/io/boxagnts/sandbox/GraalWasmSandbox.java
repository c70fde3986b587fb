package io.boxagnts.sandbox;

import io.boxagnts.api.runtime.RuntimeProperties;
import io.boxagnts.api.sandbox.EngineInfo;
import io.boxagnts.api.sandbox.Sandbox;
import io.boxagnts.api.tool.RefusedTool;
import io.boxagnts.api.tool.RegisteredTool;
import io.boxagnts.api.tool.ToolLimits;
import io.boxagnts.api.tool.ToolRefusals;
import io.boxagnts.api.tool.ToolRegistry;
import io.boxagnts.api.tool.WorkspaceAccess;
import io.boxagnts.api.web.WebFetcher;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;

/**
 * The sandbox: builds the shared engine once the framework has started (building it costs about half a second of
 * CPU; doing it after start-up keeps it off the path to the HTTP server answering, and {@link #engine()} says
 * {@code STARTING} meanwhile), opens the workspace then too (linking its system calls costs 60-100 ms of a cold start;
 * tool calls and the warm-up wait for it, decision 0041), and runs the extender that turns tool bundles into
 * {@code Tool} services.
 */
@Component(service = {Sandbox.class, ToolRefusals.class}, immediate = true, configurationPid = "io.boxagnts.sandbox")
@Designate(ocd = GraalWasmSandbox.Config.class)
public final class GraalWasmSandbox implements Sandbox, ToolRefusals, FrameworkListener {

    @ObjectClassDefinition(name = "BoxAgnts WASM sandbox", description = "Caps that no tool descriptor may exceed")
    public @interface Config {
        @AttributeDefinition(description = "Tool calls running at once; further calls wait up to their time limit")
        int maxConcurrentCalls() default 4;

        @AttributeDefinition(description = "Largest time limit a tool may declare, in milliseconds")
        long maxTimeoutMs() default 60_000;

        @AttributeDefinition(description = "Largest linear memory a tool module may declare, in MiB")
        long maxMemoryMb() default 512;

        @AttributeDefinition(description = "Memory budget of the tool calls running at once, in MiB: a call starts "
                + "only while the memory limits of the running calls and its own fit in it, else it waits up to its time "
                + "limit (MEMORY_BUDGET); a tool whose limit is larger is refused. Tools' linear memories live on the "
                + "Java heap, so 0 (the default) derives it from the heap: the maximum heap less heapReserveMb, at least "
                + "half the heap. A larger value is cut to that")
        long memoryBudgetMb() default 0;

        @AttributeDefinition(description = "Java heap kept for the runtime itself (framework, HTTP, agent, compiler) "
                + "when the memory budget is derived from the heap, in MiB")
        long heapReserveMb() default 192;

        @AttributeDefinition(description = "Largest output a tool may declare, in KiB")
        long maxOutputKb() default 8192;

        @AttributeDefinition(description = "Largest WASM module a tool bundle may carry, in MiB")
        long maxModuleMb() default 32;

        @AttributeDefinition(description = "Let tools read regular files that have other hard links (such a file may "
                + "be the same file as one outside the workspace); writing through them is always refused")
        boolean readMultiplyLinkedFiles() default false;

        @AttributeDefinition(description = "After the warm-up on its scratch tree, let the read-only tools run their "
                + "warm-up inputs on the workspace too (read-only, only tools that may read it, at most "
                + "warmUpOnWorkspaceSeconds, giving way to real calls): a first search of a real repository then costs "
                + "a fraction of what it costs without (decision 0038); false keeps the warm-up off the workspace")
        boolean warmUpOnWorkspace() default true;

        @AttributeDefinition(description = "Wall time the warm-up calls on the workspace may take together, per start, "
                + "in seconds")
        long warmUpOnWorkspaceSeconds() default 60;
    }

    private static final Logger LOG = org.slf4j.LoggerFactory.getLogger(GraalWasmSandbox.class);
    private static final String ENGINE_LOGGER = "io.boxagnts.sandbox.engine";

    private final BundleContext context;
    private final EngineHolder holder;
    private final AtomicBoolean startRequested = new AtomicBoolean();
    private final ScheduledExecutorService watchdog;
    private final ToolThreads threads;
    private final ToolExtender extender;
    private final WarmUp warmUp;
    private final Path workspacePath;
    private final boolean readsLinkedFiles;
    /** The workspace beneath its own handle, opened on a thread of its own once the framework has started. */
    private final CompletableFuture<WorkspaceRoot> workspace = new CompletableFuture<>();
    private final ToolLimits caps;

    /** The web policy's fetcher, for tools that declare the web fetch import; calls without one are told so. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile WebFetcher webFetcher;

    /** Which tools may read the workspace now (policies), for the warm-up on it; without it, none do. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ToolRegistry registry;

    @Activate
    public GraalWasmSandbox(BundleContext context, Config config, @Reference LoggerFactory osgiLog) throws IOException {
        this.context = context;
        this.holder = new EngineHolder(new EngineLog(osgiLog.getLogger(ENGINE_LOGGER)));
        this.workspacePath = Path.of(context.getProperty(RuntimeProperties.WORKSPACE) == null ? "."
                : context.getProperty(RuntimeProperties.WORKSPACE));
        this.readsLinkedFiles = config.readMultiplyLinkedFiles();
        this.watchdog = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("boxagnts-sandbox-watchdog").daemon().factory());
        MemoryBudget budget = MemoryBudget.configured(config.memoryBudgetMb(), config.heapReserveMb(),
                Runtime.getRuntime().maxMemory());
        LOG.info("memory budget of tool calls running at once: {}", budget);
        this.threads = new ToolThreads(config.maxConcurrentCalls(), budget);
        ToolDescriptor.Caps descriptorCaps = ToolDescriptor.Caps.within(Duration.ofMillis(config.maxTimeoutMs()),
                config.maxMemoryMb() << 20, config.maxOutputKb() << 10, budget);
        this.caps = new ToolLimits(descriptorCaps.timeout(), descriptorCaps.memoryBytes(), descriptorCaps.outputBytes());
        SandboxRuntime runtime = new SandboxRuntime(holder.future(), workspace, threads, watchdog, caps,
                new RealCalls(), () -> webFetcher);
        File data = context.getDataFile("warmup");
        this.warmUp = new WarmUp(holder.future(), runtime.realCalls(), data == null ? null : data.toPath(),
                config.warmUpOnWorkspace() ? new WarmUp.UserWorkspace(workspace, this::mayReadWorkspace,
                        Duration.ofSeconds(config.warmUpOnWorkspaceSeconds())) : null);
        this.extender = new ToolExtender(context, runtime, descriptorCaps, config.maxModuleMb() << 20, warmUp);
        RealCalls calls = runtime.realCalls();
        IdleCollection idle = new IdleCollection(() -> calls.arrivals() + warmUp.completedCalls()
                + warmUp.yieldedCalls(), calls::busy, GraalWasmSandbox::collect);
        watchdog.scheduleWithFixedDelay(idle::poll, IdleCollection.PERIOD_SECONDS, IdleCollection.PERIOD_SECONDS,
                TimeUnit.SECONDS);
        extender.open();
        // Listen first, then look: the framework may finish starting in between.
        context.addFrameworkListener(this);
        if (context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).getState() == Bundle.ACTIVE) {
            startEngine();
        }
    }

    /** Whether the tool named is enabled and its grant, after the policies, leaves it access to the workspace. */
    private boolean mayReadWorkspace(String tool) {
        ToolRegistry tools = registry;
        return tools != null && tools.tool(tool).filter(RegisteredTool::enabled)
                .map(registered -> registered.grant().permissions().workspace() != WorkspaceAccess.NONE).orElse(false);
    }

    /** A full collection after a burst of tool calls, which gives the heap back: SerialGC has no periodic one (0028). */
    private static void collect() {
        Runtime heap = Runtime.getRuntime();
        long before = heap.totalMemory();
        System.gc();
        LOG.debug("tool calls idle: heap collected, {} MiB committed before, {} MiB after", before >> 20,
                heap.totalMemory() >> 20);
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.STARTED) {
            startEngine();
        }
    }

    private void startEngine() {
        if (startRequested.compareAndSet(false, true)) {
            context.removeFrameworkListener(this);
            Thread.ofPlatform().name("boxagnts-workspace-open").daemon().start(this::openWorkspace);
            Thread.ofPlatform().name("boxagnts-wasm-engine").daemon().start(holder::build);
        }
    }

    /**
     * Opens the workspace for the tools. Without race-free resolution beneath it no tool runs (decision 0011): every
     * call then fails with this reason, and {@link #engine()} reports it.
     */
    private void openWorkspace() {
        try {
            WorkspaceRoot root = WorkspaceRoot.open(workspacePath, readsLinkedFiles);
            LOG.info("workspace {} confined with {}", root.path(), root.mechanism());
            if (!workspace.complete(root)) {
                root.close(); // deactivated meanwhile
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("No tool will run: {}", reason(e));
            workspace.completeExceptionally(e);
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        context.removeFrameworkListener(this);
        extender.close();
        warmUp.close();
        threads.close();
        watchdog.shutdownNow();
        watchdog.awaitTermination(5, TimeUnit.SECONDS);
        holder.close();
        if (!workspace.cancel(false) && workspace.state() == Future.State.SUCCESS) {
            workspace.resultNow().close();
        }
    }

    /** WorkspaceRoot says in its IOException's message what is missing; anything else is named with its class. */
    private static String reason(Throwable failure) {
        return failure instanceof IOException && failure.getMessage() != null ? failure.getMessage()
                : failure.toString();
    }

    /** The engine's state, and the workspace's: tools run only once both are there. */
    @Override
    public EngineInfo engine() {
        EngineInfo engine = holder.info();
        return switch (workspace.state()) {
            case SUCCESS -> engine;
            case FAILED -> new EngineInfo(EngineInfo.State.FAILED, "", false, reason(workspace.exceptionNow()));
            case RUNNING, CANCELLED -> engine.state() == EngineInfo.State.READY ? EngineInfo.STARTING : engine;
        };
    }

    @Override
    public ToolLimits caps() {
        return caps;
    }

    @Override
    public List<RefusedTool> refused() {
        return extender.refused();
    }
}
