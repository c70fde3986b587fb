package io.boxagnts.api.plugins;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** What is deployed from the plugins folder. */
@ProviderType
public interface PluginRegistry {

    /** Every jar of the plugins folder, sorted by file name. */
    List<Plugin> plugins();
}
