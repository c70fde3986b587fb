package io.boxagnts.tools;

import io.boxagnts.api.tool.RefusedTool;
import io.boxagnts.api.tool.RegisteredTool;
import io.boxagnts.api.tool.Tool;
import io.boxagnts.api.tool.ToolCallListener;
import io.boxagnts.api.tool.ToolRefusals;
import io.boxagnts.api.tool.ToolRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@link Tool} services as they come and go. When two services claim one name, the OSGi rule picks the one
 * that serves (highest service ranking, then the oldest registration); the other waits in line and takes over when
 * the first goes. The tools it hands out report each call to the {@link ToolCallListener} services.
 */
@Component(service = ToolRegistry.class)
public final class ServiceToolRegistry implements ToolRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceToolRegistry.class);

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
        services.put(reference, new RegisteredTool(new ReportingTool(tool, bundle, listeners, Clock.systemUTC()),
                bundle, reference.getBundle().getVersion().toString()));
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
        return List.copyOf(byName.values());
    }

    @Override
    public Optional<RegisteredTool> tool(String name) {
        return services.values().stream().filter(t -> t.spec().name().equals(name)).findFirst();
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
