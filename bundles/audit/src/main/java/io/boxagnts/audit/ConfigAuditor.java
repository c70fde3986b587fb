package io.boxagnts.audit;

import io.boxagnts.api.audit.AdminAction;
import io.boxagnts.api.audit.AuditLog;
import java.io.IOException;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Records every configuration change, whoever made it (the console's Configuration page, the admin API, a file in
 * {@code conf/}): the PID and the values it now has, with anything that looks like a secret masked.
 */
@Component
public final class ConfigAuditor implements ConfigurationListener {

    /** Property names whose values are never written down. */
    private static final Pattern SECRET = Pattern.compile(".*(key|secret|password|token|credential).*");
    private static final int MAX_VALUE_CHARS = 120;

    private final AuditLog audit;
    private final ConfigurationAdmin configurations;

    @Activate
    public ConfigAuditor(@Reference AuditLog audit, @Reference ConfigurationAdmin configurations) {
        this.audit = audit;
        this.configurations = configurations;
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        String pid = event.getPid();
        switch (event.getType()) {
            case ConfigurationEvent.CM_DELETED -> audit.record(new AdminAction("configuration admin", "config delete",
                    pid, Map.of()));
            case ConfigurationEvent.CM_UPDATED -> audit.record(new AdminAction("configuration admin", "config change",
                    pid, values(pid)));
            default -> { } // CM_LOCATION_CHANGED: not a change of what the runtime does
        }
    }

    private Map<String, String> values(String pid) {
        try {
            Configuration[] found = configurations.listConfigurations(
                    "(" + Constants.SERVICE_PID + "=" + pid.replaceAll("([\\\\*()])", "\\\\$1") + ")");
            if (found == null || found.length == 0 || found[0].getProperties() == null) {
                return Map.of();
            }
            return masked(found[0].getProperties());
        } catch (IOException | InvalidSyntaxException e) {
            return Map.of("unreadable", e.toString());
        }
    }

    static Map<String, String> masked(Dictionary<String, Object> properties) {
        Map<String, String> values = new TreeMap<>();
        for (String key : Collections.list(properties.keys())) {
            if (key.equals(Constants.SERVICE_PID) || key.startsWith("felix.") || key.equals("service.factoryPid")) {
                continue;
            }
            Object value = properties.get(key);
            String text = value instanceof Object[] array ? java.util.Arrays.toString(array) : String.valueOf(value);
            values.put(key, SECRET.matcher(key.toLowerCase(Locale.ROOT)).matches() ? "(secret, not recorded)"
                    : AuditService.preview(text, MAX_VALUE_CHARS));
        }
        return values;
    }
}
