package io.boxagnts.api.tool;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Every {@link Tool} service of the runtime as it is now (tools come and go with their bundles), and the tool bundles
 * that were refused, with the reason.
 */
@ProviderType
public interface ToolRegistry {

    /** The tools available now, sorted by name. */
    List<RegisteredTool> tools();

    /** The tool of that name, if one is available now. */
    Optional<RegisteredTool> tool(String name);

    /** Tool bundles that carry a tool but could not provide it. */
    List<RefusedTool> refused();
}
