package io.boxagnts.console;

import io.boxagnts.api.audit.AdminAction;
import io.boxagnts.api.audit.AuditLog;
import java.io.IOException;
import java.util.Dictionary;
import java.util.Map;
import java.util.Optional;
import org.apache.felix.webconsole.spi.ConfigurationHandler;
import org.apache.felix.webconsole.spi.ValidationException;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * What the console's Configuration page may not change, refused before it is stored (the console shows the reason):
 * <ul>
 * <li>a configuration that a file in {@code conf/} holds: the file is what runs, at every start, and is never
 * rewritten (decision 0016), so a change made here would silently disagree with it; the admin API answers 409 for
 * the same reason;</li>
 * <li>the HTTP server's and the console's own configurations: the launcher sets the address and port (and refuses a
 * non-loopback address without an access-token file) and the console's path and sign-in; a form here must not bind
 * the server elsewhere or bring the console's default login back.</li>
 * </ul>
 * Each refusal is an {@code admin} record {@code config change} with the reason.
 */
@Component
public final class ConsoleConfigurationGuard implements ConfigurationHandler {

    /** PIDs the launcher configures through framework properties; what ConfigAdmin would say would override them. */
    static final Map<String, String> LAUNCHER_OWNED = Map.of(
            "org.apache.felix.http", "the HTTP server's own configuration (address, port, TLS), which the command line "
                    + "sets (--host, --port)",
            "org.apache.felix.webconsole.internal.servlet.OsgiManager", "the Web Console's own configuration (its "
                    + "path and sign-in), which BoxAgnts sets");

    private static final String FILE_PROPERTY = "felix.fileinstall.filename";

    private final ConfigurationAdmin configurations;

    /** Optional: refusing does not wait for the audit log to be back after a change of its own configuration. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditLog audit;

    @Activate
    public ConsoleConfigurationGuard(@Reference ConfigurationAdmin configurations) {
        this.configurations = configurations;
    }

    @Override
    public void createConfiguration(String pid) throws ValidationException, IOException {
        check(null, pid);
    }

    @Override
    public void createFactoryConfiguration(String factoryPid, String name) throws ValidationException, IOException {
        check(factoryPid, null);
    }

    @Override
    public void deleteConfiguration(String factoryPid, String pid) throws ValidationException, IOException {
        check(factoryPid, pid);
    }

    @Override
    public void updateConfiguration(String factoryPid, String pid, Dictionary<String, Object> properties)
            throws ValidationException, IOException {
        check(factoryPid, pid);
    }

    private void check(String factoryPid, String pid) throws ValidationException, IOException {
        Optional<String> reason = reasonToRefuse(factoryPid, pid);
        if (reason.isPresent()) {
            AuditLog log = audit;
            if (log != null) {
                log.record(new AdminAction("console", "config change", pid == null ? factoryPid : pid,
                        Map.of("outcome", "refused", "reason", reason.get())));
            }
            throw new ValidationException(reason.get());
        }
    }

    Optional<String> reasonToRefuse(String factoryPid, String pid) throws IOException {
        for (String owned : new String[] {pid, factoryPid}) {
            if (owned != null && LAUNCHER_OWNED.containsKey(owned)) {
                return Optional.of(owned + " is " + LAUNCHER_OWNED.get(owned) + "; the console does not change it.");
            }
        }
        return pid == null ? Optional.empty() : file(pid).map(file -> pid + " comes from the configuration file "
                + file + "; change it in the file, which is what runs at every start (the console does not rewrite "
                + "configuration files).");
    }

    /** The conf/ file a stored configuration came from, if one did. */
    private Optional<String> file(String pid) throws IOException {
        Configuration[] found;
        try {
            found = configurations.listConfigurations("(service.pid=" + escape(pid) + ")");
        } catch (InvalidSyntaxException e) {
            throw new IOException("'" + pid + "' cannot be looked up: " + e.getMessage(), e);
        }
        if (found == null || found.length == 0 || found[0].getProperties() == null) {
            return Optional.empty();
        }
        Object file = found[0].getProperties().get(FILE_PROPERTY);
        return file == null ? Optional.empty() : Optional.of(file.toString().replaceFirst("^file:", ""));
    }

    /** RFC 1960 filter escaping: a PID with ( ) * or \ in it matches itself only. */
    private static String escape(String value) {
        return value.replaceAll("([\\\\*()])", "\\\\$1");
    }
}
