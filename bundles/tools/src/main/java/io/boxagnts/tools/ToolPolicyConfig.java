package io.boxagnts.tools;

import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code io.boxagnts.tool.policy} factory configuration (the console's Configuration page, the admin API, or a
 * file {@code conf/io.boxagnts.tool.policy-NAME.cfg}), handed to the registry. A change is applied in place
 * ({@link Modified}): the registry reads the policy at every call, so there is no moment without it.
 */
@Component(service = ToolPolicyConfig.class, configurationPid = ToolPolicy.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ToolPolicyConfig.Config.class, factory = true)
public final class ToolPolicyConfig {

    @ObjectClassDefinition(name = "BoxAgnts tool policy", description = "What one tool may do: enabled or not, its "
            + "workspace access (never more than it declares), and its limits within the sandbox's caps. Applied "
            + "from the next call on.")
    public @interface Config {
        @AttributeDefinition(name = "Tool", required = false, description = "The tool's name, e.g. write_file; empty: "
                + "the name after '~' in the PID (as a file conf/io.boxagnts.tool.policy-write_file.cfg gives it)")
        String tool() default "";

        @AttributeDefinition(name = "Enabled", description = "A disabled tool is not offered to models, and calls are "
                + "refused with PERMISSION_DENIED")
        boolean enabled() default true;

        @AttributeDefinition(name = "Workspace access", required = false, description = "The most the tool gets; it "
                + "never gets more than it declares", options = {
                    @Option(label = "as declared", value = ""), @Option(label = "none", value = "none"),
                    @Option(label = "read", value = "read"), @Option(label = "write", value = "write")})
        String workspace() default "";

        @AttributeDefinition(name = "Time limit (ms)", description = "Wall-clock time per call; 0: as declared")
        long timeoutMs() default 0;

        @AttributeDefinition(name = "Memory limit (MiB)", description = "Linear memory the module may grow to "
                + "(replaces the maximum the module declares); 0: as declared")
        long maxMemoryMb() default 0;

        @AttributeDefinition(name = "Output limit (KiB)", description = "Result size per call; 0: as declared")
        long maxOutputKb() default 0;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ToolPolicyConfig.class);

    private volatile ToolPolicy policy;

    @Activate
    public ToolPolicyConfig(Map<String, Object> properties) {
        modified(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        ToolPolicy read = ToolPolicy.of(properties);
        if (!read.problem().isEmpty()) {
            LOG.warn("{}", read.problem());
        }
        policy = read;
    }

    ToolPolicy policy() {
        return policy;
    }
}
