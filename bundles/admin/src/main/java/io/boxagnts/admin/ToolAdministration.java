package io.boxagnts.admin;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.boxagnts.api.audit.AdminAction;
import io.boxagnts.api.audit.AuditLog;
import io.boxagnts.api.plugins.Plugin;
import io.boxagnts.api.plugins.PluginRegistry;
import io.boxagnts.api.sandbox.Sandbox;
import io.boxagnts.api.tool.RefusedTool;
import io.boxagnts.api.tool.RegisteredTool;
import io.boxagnts.api.tool.ToolGrant;
import io.boxagnts.api.tool.ToolLimits;
import io.boxagnts.api.tool.ToolRegistry;
import io.boxagnts.api.tool.WorkspaceAccess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.jar.JarInputStream;
import java.util.regex.Pattern;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an administrator can do to tools, for the JSON API and the console alike: see every tool with its policy and
 * statistics, enable and disable it, narrow its grant, change its limits within the sandbox's caps, upload and remove
 * tool bundles. Grants and limits are configuration ({@link ToolPolicies}); an action returns once the registry applies
 * it, so the next call is under it. Every action, refused ones too, is recorded in the audit log with who did it.
 */
@Component(service = ToolAdministration.class)
public final class ToolAdministration {

    private static final Logger LOG = LoggerFactory.getLogger(ToolAdministration.class);
    private static final Pattern TOOL_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    /** How long an action waits for the registry to apply it, and an upload for its bundle to start. */
    private static final long APPLY_MILLIS = 5_000;
    private static final long DEPLOY_MILLIS = 15_000;
    private static final long NOT_RUNNING_MILLIS = 2_000;
    /** The largest body the server takes at all (the access preprocessor's limit). */
    static final int MAX_UPLOAD_BYTES = (1 << 20) + 8192;

    private final ToolRegistry registry;
    private final PluginRegistry plugins;
    private final AuditLog audit;
    private final ToolStats stats;
    private final ToolPolicies policies;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Sandbox sandbox;

    @Activate
    public ToolAdministration(@Reference ToolRegistry registry, @Reference PluginRegistry plugins,
            @Reference AuditLog audit, @Reference ToolStats stats, @Reference ConfigurationAdmin configurations) {
        this.registry = registry;
        this.plugins = plugins;
        this.audit = audit;
        this.stats = stats;
        this.policies = new ToolPolicies(configurations);
    }

    /** Every tool, the refused bundles and plugins that do not run, the caps, and the workspace access for all. */
    JsonObject overview() throws IOException {
        JsonObject body = new JsonObject();
        JsonArray tools = new JsonArray();
        List<Plugin> deployed = plugins.plugins();
        for (RegisteredTool tool : registry.tools()) {
            tools.add(describe(tool, deployed));
        }
        body.add("tools", tools);
        JsonArray refused = new JsonArray();
        for (RefusedTool refusal : registry.refused()) {
            JsonObject entry = new JsonObject();
            entry.addProperty("bundle", refusal.bundle());
            entry.addProperty("bundleVersion", refusal.bundleVersion());
            entry.addProperty("file", fileOf(refusal.bundle(), deployed).orElse(""));
            entry.addProperty("reason", refusal.reason());
            refused.add(entry);
        }
        for (Plugin plugin : deployed) {
            if (plugin.state() != Plugin.State.ACTIVE && plugin.state() != Plugin.State.CHANGING) {
                JsonObject entry = new JsonObject();
                entry.addProperty("bundle", plugin.symbolicName());
                entry.addProperty("bundleVersion", plugin.version());
                entry.addProperty("file", plugin.file());
                entry.addProperty("reason", plugin.state().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": "
                        + plugin.problem());
                refused.add(entry);
            }
        }
        body.add("refused", refused);
        ToolPolicies.Stored all = policies.allTools();
        JsonObject allTools = new JsonObject();
        allTools.addProperty("workspace", String.valueOf(all.properties().getOrDefault("workspace", "write")));
        allTools.add("config", config(all));
        body.add("allTools", allTools);
        Sandbox current = sandbox;
        if (current != null) {
            body.add("caps", limits(current.caps()));
        }
        return body;
    }

    JsonObject tool(String name) throws AdminException, IOException {
        return describe(existing(name), plugins.plugins());
    }

    JsonObject setEnabled(String actor, String name, boolean enabled) throws AdminException, IOException {
        RegisteredTool tool = existing(name);
        Map<String, Object> change = new HashMap<>();
        change.put("enabled", enabled);
        apply(actor, enabled ? "enable" : "disable", tool, change, Map.of());
        return tool(name);
    }

    /** @param workspace none, read or write; null or empty: as the tool declares */
    JsonObject grant(String actor, String name, String workspace) throws AdminException, IOException {
        RegisteredTool tool = existing(name);
        WorkspaceAccess access = access(workspace);
        WorkspaceAccess declared = tool.spec().permissions().workspace();
        if (access != null && access.ordinal() > declared.ordinal()) {
            throw refused(actor, "grant", name, name + " declares " + lower(declared) + " access to the workspace; "
                    + "a policy can narrow that, never widen it");
        }
        Map<String, Object> change = new HashMap<>();
        change.put("workspace", access == null ? null : lower(access));
        apply(actor, "grant", tool, change, Map.of("workspace", access == null ? "as declared" : lower(access)));
        return tool(name);
    }

    /**
     * @param limits timeoutMs, maxMemoryMb, maxOutputKb: a positive number within the caps, or null/0 for what the
     *     tool declares; a limit not named is left as it is
     */
    JsonObject limits(String actor, String name, Map<String, Long> limits) throws AdminException, IOException {
        RegisteredTool tool = existing(name);
        Sandbox current = sandbox;
        ToolLimits caps = current == null ? null : current.caps();
        Map<String, Object> change = new HashMap<>();
        Map<String, String> details = new LinkedHashMap<>();
        for (Map.Entry<String, Long> limit : limits.entrySet()) {
            Long value = limit.getValue();
            if (value != null && value < 0) {
                throw refused(actor, "limits", name, limit.getKey()
                        + " must be a positive whole number, or 0 for as declared");
            }
            long cap = caps == null ? Long.MAX_VALUE : switch (limit.getKey()) {
                case "timeoutMs" -> caps.timeout().toMillis();
                case "maxMemoryMb" -> caps.maxMemoryBytes() >> 20;
                case "maxOutputKb" -> caps.maxOutputBytes() >> 10;
                default -> throw AdminException.invalid("unknown limit '" + limit.getKey()
                        + "'; the limits are timeoutMs, maxMemoryMb and maxOutputKb");
            };
            if (value != null && value > cap) {
                throw refused(actor, "limits", name, limit.getKey() + " " + value + " is above the sandbox's cap of "
                        + cap + " (configuration io.boxagnts.sandbox)");
            }
            boolean declared = value == null || value == 0;
            change.put(limit.getKey(), declared ? null : value);
            details.put(limit.getKey(), declared ? "as declared" : value.toString());
        }
        if (change.isEmpty()) {
            throw AdminException.invalid("name at least one of timeoutMs, maxMemoryMb, maxOutputKb");
        }
        apply(actor, "limits", tool, change, details);
        return tool(name);
    }

    /** Back to what the tool declares: its policy configurations are deleted (with their files in conf/). */
    JsonObject reset(String actor, String name) throws AdminException, IOException {
        RegisteredTool before = existing(name);
        boolean reset;
        try {
            reset = policies.reset(name);
        } catch (IllegalStateException e) {
            throw conflict(actor, "reset policy", name, e.getMessage());
        }
        if (reset) {
            awaitApplied(name, before);
        }
        audit.record(new AdminAction(actor, "reset policy", name, Map.of()));
        return tool(name);
    }

    /** The workspace access every tool gets at most: write (as granted), read or none. */
    JsonObject grantAll(String actor, String workspace) throws AdminException, IOException {
        WorkspaceAccess access = access(workspace);
        if (access == null) {
            access = WorkspaceAccess.WRITE;
        }
        List<RegisteredTool> before = registry.tools();
        boolean changed;
        try {
            changed = policies.changeAllTools(Map.of("workspace", lower(access)));
        } catch (IllegalStateException e) {
            throw conflict(actor, "grant", "all tools", e.getMessage());
        }
        audit.record(new AdminAction(actor, "grant", "all tools", Map.of("workspace", lower(access))));
        if (changed) {
            await(() -> !registry.tools().equals(before));
        }
        return overview();
    }

    /**
     * Writes the bundle into the plugins folder and waits until it runs (its tools registered) or is refused.
     *
     * @return the outcome: file, bundle, state, tools, and the reason when it does not run
     */
    JsonObject upload(String actor, String fileName, byte[] jar) throws AdminException, IOException {
        String bundle;
        try {
            bundle = plugins.deploy(fileName, new ByteArrayInputStream(jar), MAX_UPLOAD_BYTES);
        } catch (IllegalArgumentException e) {
            throw refused(actor, "upload", String.valueOf(fileName), e.getMessage());
        }
        boolean declaresTool = declaresTool(jar);
        long[] notRunningSince = {0};
        await(() -> settled(fileName, bundle, declaresTool, notRunningSince), DEPLOY_MILLIS);
        JsonObject outcome = new JsonObject();
        outcome.addProperty("file", fileName);
        outcome.addProperty("bundle", bundle);
        Optional<Plugin> plugin = plugins.plugins().stream().filter(p -> p.file().equals(fileName)).findFirst();
        outcome.addProperty("state", plugin.map(p -> p.state().name()).orElse("DEPLOYING"));
        JsonArray tools = new JsonArray();
        registry.tools().stream().filter(t -> t.bundle().equals(bundle)).forEach(t -> tools.add(t.spec().name()));
        outcome.add("tools", tools);
        String problem = plugin.map(Plugin::problem).filter(p -> !p.isEmpty()).or(() -> registry.refused().stream()
                .filter(r -> r.bundle().equals(bundle)).map(RefusedTool::reason).findFirst()).orElse("");
        outcome.addProperty("problem", problem);
        audit.record(new AdminAction(actor, "upload", bundle, Map.of("file", fileName, "state",
                outcome.get("state").getAsString(), "tools", tools.toString(), "problem", problem)));
        return outcome;
    }

    void remove(String actor, String fileName) throws AdminException, IOException {
        try {
            plugins.remove(fileName);
        } catch (NoSuchFileException e) {
            throw new AdminException(404, "NOT_FOUND", "the plugins folder has no jar named '" + fileName + "'");
        } catch (IllegalArgumentException e) {
            throw AdminException.invalid(e.getMessage());
        }
        audit.record(new AdminAction(actor, "remove", fileName, Map.of()));
        await(() -> plugins.plugins().stream().noneMatch(p -> p.file().equals(fileName)));
    }

    /**
     * Whether the upload's bundle runs (with its tool, or the tool's refusal), or has stayed installed but not running
     * for {@link #NOT_RUNNING_MILLIS}: FileInstall installs first and starts a moment later, so a bundle that is not
     * (yet) resolved is only a failure once it stays so.
     */
    private boolean settled(String fileName, String bundle, boolean declaresTool, long[] notRunningSince) {
        Optional<Plugin> plugin = plugins.plugins().stream().filter(p -> p.file().equals(fileName)).findFirst();
        if (plugin.isEmpty() || plugin.get().state() == Plugin.State.CHANGING) {
            return false;
        }
        if (plugin.get().state() != Plugin.State.ACTIVE) {
            if (notRunningSince[0] == 0) {
                notRunningSince[0] = System.nanoTime();
            }
            return System.nanoTime() - notRunningSince[0] > NOT_RUNNING_MILLIS * 1_000_000;
        }
        notRunningSince[0] = 0;
        if (!declaresTool) {
            return true;
        }
        return registry.tools().stream().anyMatch(t -> t.bundle().equals(bundle))
                || registry.refused().stream().anyMatch(r -> r.bundle().equals(bundle));
    }

    private static boolean declaresTool(byte[] jar) {
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            return in.getManifest() != null && in.getManifest().getMainAttributes().getValue("BoxAgnts-Tool") != null;
        } catch (IOException e) {
            return false;
        }
    }

    private void apply(String actor, String action, RegisteredTool before, Map<String, Object> change,
            Map<String, String> details) throws AdminException, IOException {
        String name = before.spec().name();
        Map<String, Object> withName = new HashMap<>(change);
        withName.put("tool", name);
        boolean changed;
        try {
            changed = policies.change(name, withName);
        } catch (IllegalStateException e) {
            throw conflict(actor, action, name, e.getMessage());
        }
        Map<String, String> recorded = new LinkedHashMap<>(details);
        recorded.put("changed", Boolean.toString(changed));
        audit.record(new AdminAction(actor, action, name, recorded));
        if (changed) {
            awaitApplied(name, before);
        }
    }

    /** Until the registry shows the tool otherwise than before (DS delivers configuration asynchronously). */
    private void awaitApplied(String name, RegisteredTool before) {
        await(() -> registry.tool(name).map(now -> now.enabled() != before.enabled()
                || !now.grant().equals(before.grant()) || !now.policy().equals(before.policy())).orElse(true));
    }

    private static void await(BooleanSupplier done) {
        await(done, APPLY_MILLIS);
    }

    private static void await(BooleanSupplier done, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                LOG.info("an admin action had not taken effect after {} ms; it applies shortly", millis);
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A policy a file in conf/ holds is changed in the file: 409, recorded as refused. */
    private AdminException conflict(String actor, String action, String subject, String reason) {
        audit.record(new AdminAction(actor, action, subject, Map.of("outcome", "refused", "reason", reason)));
        return new AdminException(409, "CONFLICT", reason);
    }

    /** A refused action is recorded too: who tried what, and why it was refused. */
    private AdminException refused(String actor, String action, String subject, String reason) {
        audit.record(new AdminAction(actor, action, subject, Map.of("outcome", "refused", "reason", reason)));
        return AdminException.invalid(reason);
    }

    private RegisteredTool existing(String name) throws AdminException {
        if (name == null || !TOOL_NAME.matcher(name).matches()) {
            throw AdminException.invalid("'" + name + "' is not a tool name");
        }
        return registry.tool(name).orElseThrow(() -> new AdminException(404, "NOT_FOUND", "no tool named '" + name
                + "'; GET /api/admin/tools lists them"));
    }

    private static WorkspaceAccess access(String workspace) throws AdminException {
        if (workspace == null || workspace.isBlank()) {
            return null;
        }
        return switch (workspace.trim().toLowerCase(Locale.ROOT)) {
            case "none" -> WorkspaceAccess.NONE;
            case "read" -> WorkspaceAccess.READ;
            case "write" -> WorkspaceAccess.WRITE;
            default -> throw AdminException.invalid("workspace must be none, read or write (or null for as "
                    + "declared), not '" + workspace + "'");
        };
    }

    private JsonObject describe(RegisteredTool tool, List<Plugin> deployed) throws IOException {
        JsonObject entry = new JsonObject();
        String name = tool.spec().name();
        entry.addProperty("name", name);
        entry.addProperty("version", tool.spec().version());
        entry.addProperty("description", tool.spec().description());
        entry.addProperty("bundle", tool.bundle());
        entry.addProperty("bundleVersion", tool.bundleVersion());
        Optional<Plugin> plugin = deployed.stream().filter(p -> p.symbolicName().equals(tool.bundle())).findFirst();
        entry.addProperty("file", plugin.map(Plugin::file).orElse(""));
        entry.addProperty("bundleState", plugin.map(p -> p.state().name()).orElse("ACTIVE"));
        entry.addProperty("state", tool.enabled() ? "enabled" : "disabled");
        entry.addProperty("policy", tool.policy());
        entry.add("declared", grant(new ToolGrant(tool.spec().permissions(), tool.spec().limits())));
        entry.add("granted", grant(tool.grant()));
        JsonArray configs = new JsonArray();
        for (ToolPolicies.Stored stored : policies.of(name)) {
            configs.add(config(stored));
        }
        entry.add("config", configs);
        ToolStats.Summary summary = stats.of(name);
        JsonObject calls = new JsonObject();
        calls.addProperty("calls", summary.calls());
        calls.addProperty("errors", summary.errors());
        calls.addProperty("p50Ms", summary.p50Ms());
        calls.addProperty("p90Ms", summary.p90Ms());
        calls.addProperty("p99Ms", summary.p99Ms());
        calls.addProperty("maxMs", summary.maxMs());
        entry.add("stats", calls);
        return entry;
    }

    /** A configuration as a file in conf/ would say it, and where it lives. */
    private static JsonObject config(ToolPolicies.Stored stored) {
        JsonObject config = new JsonObject();
        config.addProperty("pid", stored.pid());
        config.addProperty("file", stored.file() != null ? stored.file().toString() : "");
        config.addProperty("asFile", ToolPolicies.fileName(stored.pid()));
        JsonObject properties = new JsonObject();
        stored.properties().forEach((key, value) -> properties.addProperty(key, String.valueOf(value)));
        config.add("properties", properties);
        return config;
    }

    private static JsonObject grant(ToolGrant grant) {
        JsonObject json = new JsonObject();
        json.addProperty("workspace", lower(grant.permissions().workspace()));
        json.addProperty("network", grant.permissions().network().name().toLowerCase(Locale.ROOT));
        json.add("limits", limits(grant.limits()));
        return json;
    }

    private static JsonObject limits(ToolLimits limits) {
        JsonObject json = new JsonObject();
        json.addProperty("timeoutMs", limits.timeout().toMillis());
        json.addProperty("maxMemoryMb", limits.maxMemoryBytes() >> 20);
        json.addProperty("maxOutputKb", limits.maxOutputBytes() >> 10);
        return json;
    }

    private static Optional<String> fileOf(String bundle, List<Plugin> deployed) {
        return deployed.stream().filter(p -> p.symbolicName().equals(bundle)).map(Plugin::file).findFirst();
    }

    private static String lower(WorkspaceAccess access) {
        return access.name().toLowerCase(Locale.ROOT);
    }
}
