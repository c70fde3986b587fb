package io.boxagnts.admin;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The tool policies as ConfigAdmin configurations, read and written the way a file in {@code conf/} would say them:
 * factory PID {@code io.boxagnts.tool.policy}, named after the tool ({@code io.boxagnts.tool.policy~grep}, what
 * {@code conf/io.boxagnts.tool.policy-grep.cfg} creates), and {@code io.boxagnts.tools} for all tools.
 */
final class ToolPolicies {

    static final String FACTORY_PID = "io.boxagnts.tool.policy";
    static final String ALL_TOOLS_PID = "io.boxagnts.tools";
    /** The properties a policy has; anything else (service.pid, felix.fileinstall.filename) is bookkeeping. */
    static final Set<String> KEYS = Set.of("tool", "enabled", "workspace", "timeoutMs", "maxMemoryMb", "maxOutputKb");
    private static final String FILE_PROPERTY = "felix.fileinstall.filename";

    /**
     * A policy configuration as it stands.
     *
     * @param pid its PID
     * @param properties its policy properties, as stored
     * @param file the file in conf/ it comes from (which alone changes it), or null when ConfigAdmin alone keeps it
     */
    record Stored(String pid, Map<String, Object> properties, Path file) {}

    private final ConfigurationAdmin configurations;

    ToolPolicies(ConfigurationAdmin configurations) {
        this.configurations = configurations;
    }

    /** Every configuration that names the tool. */
    List<Stored> of(String tool) throws IOException {
        List<Stored> stored = new ArrayList<>();
        for (Configuration configuration : list("(&(service.factoryPid=" + FACTORY_PID + ")(|(tool=" + tool
                + ")(service.pid=" + FACTORY_PID + "~" + tool + ")))")) {
            stored(configuration).ifPresent(stored::add);
        }
        return stored;
    }

    Stored allTools() throws IOException {
        Configuration[] found = list("(service.pid=" + ALL_TOOLS_PID + ")");
        return (found.length == 0 ? Optional.<Stored>empty() : stored(found[0]))
                .orElse(new Stored(ALL_TOOLS_PID, Map.of(), null));
    }

    /**
     * Applies a change to every configuration of the tool, or to a new one named after it. A value of null removes the
     * property (back to what the tool declares).
     *
     * @return whether anything changed
     */
    boolean change(String tool, Map<String, Object> changes) throws IOException {
        List<Configuration> existing = new ArrayList<>(List.of(list("(&(service.factoryPid=" + FACTORY_PID
                + ")(|(tool=" + tool + ")(service.pid=" + FACTORY_PID + "~" + tool + ")))")));
        if (existing.isEmpty()) {
            existing.add(configurations.getFactoryConfiguration(FACTORY_PID, tool, "?"));
        }
        for (Configuration configuration : existing) {
            refuseFileManaged(configuration);
        }
        boolean changed = false;
        for (Configuration configuration : existing) {
            changed |= update(configuration, changes);
        }
        return changed;
    }

    boolean changeAllTools(Map<String, Object> changes) throws IOException {
        Configuration all = configurations.getConfiguration(ALL_TOOLS_PID, "?");
        refuseFileManaged(all);
        return update(all, changes);
    }

    /**
     * A configuration a file in conf/ holds is the file's: FileInstall re-applies the file at every start and
     * whenever it changes, and never writes a change back (decision 0016), so a change here would not last.
     *
     * @throws IllegalStateException saying which file to change
     */
    private static void refuseFileManaged(Configuration configuration) {
        Path file = stored(configuration).map(Stored::file).orElse(null);
        if (file != null) {
            throw new IllegalStateException(configuration.getPid() + " comes from " + file + "; change that file "
                    + "(what it says applies at every start)");
        }
    }

    /** Removes every configuration of the tool (a file in conf/ that held one is deleted with it). */
    boolean reset(String tool) throws IOException {
        Configuration[] found = list("(&(service.factoryPid=" + FACTORY_PID + ")(|(tool=" + tool
                + ")(service.pid=" + FACTORY_PID + "~" + tool + ")))");
        for (Configuration configuration : found) {
            refuseFileManaged(configuration);
        }
        for (Configuration configuration : found) {
            configuration.delete();
        }
        return found.length > 0;
    }

    private static boolean update(Configuration configuration, Map<String, Object> changes) throws IOException {
        Dictionary<String, Object> current = configuration.getProperties();
        Hashtable<String, Object> next = new Hashtable<>();
        if (current != null) {
            for (String key : Collections.list(current.keys())) {
                next.put(key, current.get(key));
            }
        }
        changes.forEach((key, value) -> {
            if (value == null) {
                next.remove(key);
            } else {
                next.put(key, value);
            }
        });
        return configuration.updateIfDifferent(next);
    }

    private Configuration[] list(String filter) throws IOException {
        try {
            Configuration[] found = configurations.listConfigurations(filter);
            return found == null ? new Configuration[0] : found;
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("not a valid filter: " + filter, e);
        }
    }

    /** What the configuration holds; empty when it was deleted since it was listed (FileInstall removes them). */
    private static Optional<Stored> stored(Configuration configuration) {
        Map<String, Object> properties = new TreeMap<>();
        Dictionary<String, Object> current;
        try {
            current = configuration.getProperties();
        } catch (IllegalStateException deleted) {
            return Optional.empty();
        }
        Path file = null;
        if (current != null) {
            for (String key : Collections.list(current.keys())) {
                if (KEYS.contains(key)) {
                    properties.put(key, current.get(key));
                }
            }
            Object name = current.get(FILE_PROPERTY);
            if (name != null) {
                try {
                    file = Path.of(URI.create(name.toString()));
                } catch (IllegalArgumentException e) {
                    file = null;
                }
            }
        }
        return Optional.of(new Stored(configuration.getPid(), properties, file));
    }

    /** The file in conf/ that says the same as the named configuration. */
    static String fileName(String pid) {
        int tilde = pid.indexOf('~');
        return (tilde < 0 ? pid : pid.substring(0, tilde) + "-" + pid.substring(tilde + 1)) + ".cfg";
    }
}
