package io.boxagnts.it;

import io.boxagnts.api.tool.RegisteredTool;
import io.boxagnts.api.tool.ToolRegistry;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.function.Predicate;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** Tool policies set in the container as the console or the admin API would set them. */
final class ToolPolicies {

    private ToolPolicies() {}

    /** Sets the tool's policy (key, value, ...) and waits until the registry applies it. */
    static void set(ConfigurationAdmin configurations, ToolRegistry registry, String tool,
            Predicate<RegisteredTool> applied, Object... keyValues) throws Exception {
        Dictionary<String, Object> properties = new Hashtable<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put((String) keyValues[i], keyValues[i + 1]);
        }
        configurations.getFactoryConfiguration("io.boxagnts.tool.policy", tool, "?").update(properties);
        Await.until("the policy of " + tool + " applies", () -> applied.test(registry.tool(tool).orElseThrow()));
    }

    /** Deletes every configuration the filter matches (by default: every tool's policy). */
    static void removeAll(ConfigurationAdmin configurations, String filter) throws Exception {
        Configuration[] all = configurations.listConfigurations(filter);
        for (Configuration configuration : all == null ? new Configuration[0] : all) {
            configuration.delete();
        }
    }

    static void removeAll(ConfigurationAdmin configurations) throws Exception {
        removeAll(configurations, "(service.factoryPid=io.boxagnts.tool.policy)");
    }
}
