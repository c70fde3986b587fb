package io.boxagnts.sandbox;

import io.boxagnts.api.tool.RefusedTool;
import io.boxagnts.api.tool.Tool;
import io.boxagnts.api.tool.ToolHeaders;
import io.boxagnts.api.tool.ToolRefusals;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.BundleTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extender: watches for active bundles with a {@code BoxAgnts-Tool} header, checks their descriptor and module,
 * and registers a {@link Tool} service through the tool bundle's own context, so the service lives and dies with it.
 * Tool bundles need no Java code. A bundle it cannot accept is refused once, with the reason, in the log and through
 * {@link ToolRefusals}.
 */
final class ToolExtender implements BundleTrackerCustomizer<ToolExtender.Registered>, ToolRefusals {

    /** A tool this extender registered for a bundle. */
    record Registered(ServiceRegistration<Tool> registration, WasmTool tool) {}

    private static final Logger LOG = LoggerFactory.getLogger(ToolExtender.class);

    private final BundleContext context;
    private final SandboxRuntime runtime;
    private final ToolDescriptor.Caps caps;
    private final long maxModuleBytes;
    private final Map<Long, RefusedTool> refused = new ConcurrentHashMap<>();
    private final BundleTracker<Registered> tracker;
    private final WarmUp warmUp;

    ToolExtender(BundleContext context, SandboxRuntime runtime, ToolDescriptor.Caps caps, long maxModuleBytes,
            WarmUp warmUp) {
        this.context = context;
        this.runtime = runtime;
        this.warmUp = warmUp;
        this.caps = caps;
        this.maxModuleBytes = maxModuleBytes;
        this.tracker = new BundleTracker<>(context, Bundle.ACTIVE, this);
    }

    void open() {
        tracker.open();
    }

    void close() {
        tracker.close();
    }

    @Override
    public Registered addingBundle(Bundle bundle, BundleEvent event) {
        String descriptorPath = bundle.getHeaders("").get(ToolHeaders.TOOL);
        if (descriptorPath == null) {
            return null;
        }
        try {
            String json = new String(readEntry(bundle, descriptorPath, 256 << 10), StandardCharsets.UTF_8);
            ToolDescriptor descriptor = ToolDescriptor.parse(json, bundle.getVersion().toString(), caps);
            byte[] module = readEntry(bundle, descriptor.module(), maxModuleBytes);
            ModuleCheck.problem(module, descriptor.spec().limits().maxMemoryBytes()).ifPresent(problem -> {
                throw new IllegalArgumentException("module " + descriptor.module() + ": " + problem);
            });
            checkImports(descriptor, module);
            WasmTool tool = new WasmTool(descriptor.spec(), module, runtime, descriptor.webFetch());
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put(ToolHeaders.NAME, descriptor.spec().name());
            ServiceRegistration<Tool> registration = bundle.getBundleContext().registerService(Tool.class, tool,
                    properties);
            refused.remove(bundle.getBundleId());
            LOG.info("tool {} {} from {} is available (workspace: {})", descriptor.spec().name(),
                    descriptor.spec().version(), bundle.getSymbolicName(),
                    descriptor.spec().permissions().workspace().name().toLowerCase(java.util.Locale.ROOT));
            warmUp.add(tool, descriptor.warmup());
            return new Registered(registration, tool);
        } catch (IllegalArgumentException | IOException e) {
            RefusedTool refusal = new RefusedTool(String.valueOf(bundle.getSymbolicName()),
                    bundle.getVersion().toString(), e.getMessage());
            if (!refusal.equals(refused.put(bundle.getBundleId(), refusal))) {
                LOG.warn("tool bundle {} {} refused: {}", refusal.bundle(), refusal.bundleVersion(), refusal.reason());
            }
            return null;
        }
    }

    @Override
    public void modifiedBundle(Bundle bundle, BundleEvent event, Registered registered) {
        // the tool stays as long as its bundle is active
    }

    @Override
    public void removedBundle(Bundle bundle, BundleEvent event, Registered registered) {
        warmUp.remove(registered.tool());
        try {
            registered.registration().unregister();
        } catch (IllegalStateException e) {
            // already gone with its bundle
        }
    }

    /** Refusals stay while their bundle is installed; an uninstalled bundle is forgotten. */
    @Override
    public List<RefusedTool> refused() {
        refused.keySet().removeIf(id -> context.getBundle(id) == null);
        List<RefusedTool> list = new ArrayList<>(refused.values());
        list.sort(Comparator.comparing(RefusedTool::bundle));
        return List.copyOf(list);
    }

    /**
     * A module imports WASI, {@code boxagnts.read_dir} (any tool: whether a call may list is its grant's decision at
     * run time) and, if its descriptor says so, the web fetch; nothing else exists to link it to.
     */
    static void checkImports(ToolDescriptor descriptor, byte[] module) {
        String webFetch = WebFetchImport.MODULE + "." + WebFetchImport.NAME;
        for (String imported : ModuleCheck.imports(module)) {
            if (imported.startsWith("wasi_snapshot_preview1.") || imported.equals(ReadDirImport.QUALIFIED)) {
                continue;
            }
            if (imported.equals(webFetch)) {
                if (descriptor.webFetch()) {
                    continue;
                }
                throw new IllegalArgumentException("module " + descriptor.module() + " imports " + webFetch
                        + " but the descriptor does not declare \"permissions\": {\"network\": \"fetch\"}");
            }
            throw new IllegalArgumentException("module " + descriptor.module() + " imports " + imported
                    + ", which the sandbox does not provide (only wasi_snapshot_preview1, " + ReadDirImport.QUALIFIED
                    + " and " + webFetch + ")");
        }
    }

    private static byte[] readEntry(Bundle bundle, String path, long limit) throws IOException {
        URL entry = bundle.getEntry(path);
        if (entry == null) {
            throw new IllegalArgumentException("the bundle has no entry " + path);
        }
        try (InputStream in = entry.openStream()) {
            return read(in, path, limit);
        }
    }

    /** An entry of a tool bundle, refused when larger than {@code limit} (also for {@code boxagnts tool run}). */
    static byte[] read(InputStream in, String path, long limit) throws IOException {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            byte[] buffer = new byte[65536];
            long total = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > limit) {
                    throw new IllegalArgumentException(path + " is larger than the limit of " + limit + " bytes");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }
}
