package io.boxagnts.audit;

import io.boxagnts.api.audit.AdminAction;
import io.boxagnts.api.audit.AuditLog;
import io.boxagnts.api.runtime.RuntimeProperties;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Records bundles installed, updated and uninstalled while the runtime runs: tool bundles dropped into or removed from
 * {@code plugins/}, and bundles installed through the console. (The core bundles the launcher installs at start are
 * the distribution, not an action.)
 */
@Component(immediate = true)
public final class BundleAuditor implements BundleListener {

    private final BundleContext context;
    private final AuditLog audit;
    private final String pluginsDir;

    @Activate
    public BundleAuditor(BundleContext context, @Reference AuditLog audit) {
        this.context = context;
        this.audit = audit;
        this.pluginsDir = context.getProperty(RuntimeProperties.PLUGINS_DIR);
        context.addBundleListener(this);
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(this);
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        String action = switch (event.getType()) {
            case BundleEvent.INSTALLED -> "install";
            case BundleEvent.UPDATED -> "update";
            case BundleEvent.UNINSTALLED -> "uninstall";
            default -> null;
        };
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        if (action == null || system == null || system.getState() != Bundle.ACTIVE) {
            return;
        }
        Bundle bundle = event.getBundle();
        String location = bundle.getLocation();
        boolean fromPlugins = pluginsDir != null && location != null && location.contains(pluginsDir);
        audit.record(new AdminAction(fromPlugins ? "plugins folder" : "admin", action,
                String.valueOf(bundle.getSymbolicName()), Map.of("version", bundle.getVersion().toString(),
                        "location", String.valueOf(location))));
    }
}
