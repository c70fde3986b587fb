package io.boxagnts.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

class ToolPoliciesTest {

    /** A configuration as ConfigAdmin hands it out; null properties: deleted since it was listed. */
    private static Configuration configuration(String pid, Dictionary<String, Object> properties) {
        return (Configuration) Proxy.newProxyInstance(Configuration.class.getClassLoader(),
                new Class<?>[] {Configuration.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getPid" -> pid;
                    case "getProperties" -> {
                        if (properties == null) {
                            throw new IllegalStateException("Configuration " + pid + " deleted");
                        }
                        yield properties;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static ConfigurationAdmin listing(Configuration... found) {
        return (ConfigurationAdmin) Proxy.newProxyInstance(ConfigurationAdmin.class.getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> {
                    if (method.getName().equals("listConfigurations")) {
                        return found;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aConfigurationDeletedWhileListedIsNotThere() throws Exception {
        Dictionary<String, Object> live = new Hashtable<>(Map.of("tool", "grep", "enabled", "false"));
        ToolPolicies policies = new ToolPolicies(listing(configuration("io.boxagnts.tool.policy~grep", live),
                configuration("io.boxagnts.tool.policy~list_dir", null)));
        List<ToolPolicies.Stored> stored = policies.of("grep");
        assertEquals(1, stored.size());
        assertEquals("io.boxagnts.tool.policy~grep", stored.get(0).pid());
        assertEquals(Map.of("tool", "grep", "enabled", "false"), stored.get(0).properties());

        ToolPolicies deleted = new ToolPolicies(listing(configuration(ToolPolicies.ALL_TOOLS_PID, null)));
        assertEquals(new ToolPolicies.Stored(ToolPolicies.ALL_TOOLS_PID, Map.of(), null), deleted.allTools());
    }
}
