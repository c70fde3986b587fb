package io.boxagnts.tools;

import io.boxagnts.api.sandbox.Sandbox;
import io.boxagnts.api.tool.RefusedTool;
import io.boxagnts.api.tool.RegisteredTool;
import io.boxagnts.api.tool.Tool;
import io.boxagnts.api.tool.ToolCallListener;
import io.boxagnts.api.tool.ToolRefusals;
import io.boxagnts.api.tool.ToolRegistry;
import io.boxagnts.api.tool.ToolSpec;
import io.boxagnts.api.tool.WorkspaceAccess;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@link Tool} services as they come and go. When two services claim one name, the OSGi rule picks the one
 * that serves (highest service ranking, then the oldest registration); the other waits in line and takes over when
 * the first goes. The tools it hands out apply the administrator's policy to every call (enabled, workspace access,
 * limits: read anew at each call, so a change applies to the next one) and report each call to the
 * {@link ToolCallListener} services.
 */
@Component(service = ToolRegistry.class, configurationPid = EffectivePolicy.ALL_TOOLS_PID)
@Designate(ocd = ServiceToolRegistry.Config.class)
public final class ServiceToolRegistry implements ToolRegistry {

    @ObjectClassDefinition(name = "BoxAgnts tools", description = "What every tool may do, whatever its own policy "
            + "(io.boxagnts.tool.policy) grants it")
    public @interface Config {
        @AttributeDefinition(name = "Workspace access for all tools", description = "write: each tool as declared "
                + "and granted; read: the workspace is read-only for every tool; none: no tool sees it", options = {
                    @Option(label = "write (as granted)", value = "write"), @Option(label = "read-only", value = "read"),
                    @Option(label = "none", value = "none")})
        String workspace() default "write";
    }

    private static final Logger LOG = LoggerFactory.getLogger(ServiceToolRegistry.class);

    private final List<ToolPolicyConfig> policies = new CopyOnWriteArrayList<>();
    private volatile WorkspaceAccess ceiling = WorkspaceAccess.WRITE;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Sandbox sandbox;

    @Activate
    @Modified
    void configure(Config config) {
        WorkspaceAccess access = switch (config.workspace().trim().toLowerCase(Locale.ROOT)) {
            case "", "write" -> WorkspaceAccess.WRITE;
            case "read" -> WorkspaceAccess.READ;
            case "none" -> WorkspaceAccess.NONE;
            default -> {
                LOG.warn("configuration {}: workspace must be write, read or none, not '{}'; no tool may change the "
                        + "workspace until it is fixed", EffectivePolicy.ALL_TOOLS_PID, config.workspace());
                yield WorkspaceAccess.READ;
            }
        };
        if (access != ceiling) {
            LOG.info("workspace access for all tools: {}", EffectivePolicy.name(access));
        }
        ceiling = access;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addPolicy(ToolPolicyConfig policy) {
        policies.add(policy);
    }

    void removePolicy(ToolPolicyConfig policy) {
        policies.remove(policy);
    }

    /** What the tool's calls get now. */
    EffectivePolicy policy(ToolSpec spec) {
        List<ToolPolicy> own = new ArrayList<>();
        for (ToolPolicyConfig config : policies) {
            ToolPolicy policy = config.policy();
            if (policy.tool().equals(spec.name())) {
                own.add(policy);
            }
        }
        Sandbox current = sandbox;
        return EffectivePolicy.of(spec, ceiling, own, current == null ? null : current.caps());
    }

    /** Ordered so that the preferred service of a name comes first (ServiceReference's own order, reversed). */
    private final Map<ServiceReference<Tool>, RegisteredTool> services =
            new ConcurrentSkipListMap<ServiceReference<Tool>, RegisteredTool>(Comparator.reverseOrder());
    private final List<ToolRefusals> refusals = new CopyOnWriteArrayList<>();
    private final List<ToolCallListener> listeners = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addTool(ServiceReference<Tool> reference, Tool tool) {
        String name = tool.spec().name();
        tool(name).ifPresent(existing -> LOG.warn("two tools are named {}: from {} and from {}; only one serves",
                name, existing.bundle(), reference.getBundle().getSymbolicName()));
        String bundle = String.valueOf(reference.getBundle().getSymbolicName());
        services.put(reference, new RegisteredTool(new ReportingTool(tool, bundle, listeners, this::policy,
                Clock.systemUTC()), bundle, reference.getBundle().getVersion().toString()));
    }

    void removeTool(ServiceReference<Tool> reference) {
        services.remove(reference);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addRefusals(ToolRefusals source) {
        refusals.add(source);
    }

    void removeRefusals(ToolRefusals source) {
        refusals.remove(source);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(ToolCallListener listener) {
        listeners.add(listener);
    }

    void removeListener(ToolCallListener listener) {
        listeners.remove(listener);
    }

    @Override
    public List<RegisteredTool> tools() {
        Map<String, RegisteredTool> byName = services.values().stream().collect(Collectors.toMap(
                t -> t.spec().name(), t -> t, (preferred, other) -> preferred, java.util.TreeMap::new));
        return byName.values().stream().map(this::withPolicy).toList();
    }

    @Override
    public Optional<RegisteredTool> tool(String name) {
        return services.values().stream().filter(t -> t.spec().name().equals(name)).findFirst().map(this::withPolicy);
    }

    private RegisteredTool withPolicy(RegisteredTool tool) {
        EffectivePolicy policy = policy(tool.spec());
        return new RegisteredTool(tool.tool(), tool.bundle(), tool.bundleVersion(), policy.enabled(), policy.grant(),
                policy.enabled() ? policy.source() : policy.disabledBecause());
    }

    @Override
    public List<RefusedTool> refused() {
        List<RefusedTool> all = new ArrayList<>();
        for (ToolRefusals source : refusals) {
            all.addAll(source.refused());
        }
        return List.copyOf(all);
    }
}
