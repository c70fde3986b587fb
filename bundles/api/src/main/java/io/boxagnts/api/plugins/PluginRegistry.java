package io.boxagnts.api.plugins;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** What is deployed from the plugins folder, and the folder itself for those who may change it. */
@ProviderType
public interface PluginRegistry {

    /** Every jar of the plugins folder, sorted by file name. */
    List<Plugin> plugins();

    /**
     * Writes a bundle into the plugins folder, whole or not at all, where it hot-deploys like a jar copied there. It
     * is checked first: a file name without a path, a jar with an OSGi manifest, no more than {@code maxBytes}, not a
     * core bundle of the distribution, and not a bundle already deployed under another file name. A file of the same
     * name is replaced (the new version takes over).
     *
     * @return the bundle's symbolic name
     * @throws IllegalArgumentException with the reason, in words its author can act on, when it is refused
     * @throws IOException when the folder cannot be written
     */
    String deploy(String fileName, InputStream jar, long maxBytes) throws IOException;

    /**
     * Deletes a jar from the plugins folder; its bundle is stopped and uninstalled.
     *
     * @throws java.nio.file.NoSuchFileException when the folder has no such jar
     * @throws IllegalArgumentException when the name is not a jar's name in the folder
     */
    void remove(String fileName) throws IOException;
}
