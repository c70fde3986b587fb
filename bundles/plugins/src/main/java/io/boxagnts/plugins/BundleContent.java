package io.boxagnts.plugins;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Enumeration;
import java.util.List;
import org.osgi.framework.Bundle;

/**
 * An installed bundle's entries as the framework serves them (from its own copy in the bundle cache), which is where
 * its classes and the sandbox's {@code .wasm} are read from: checking these, not the jar in {@code plugins/}, leaves
 * no moment in which the file could be swapped between the check and the use (decision 0031). Only the bundle's own
 * entries (no fragments); {@link Bundle#getEntryPaths} does not resolve the bundle, so nothing of it runs.
 */
final class BundleContent implements PublisherTrust.Content {

    private final Bundle bundle;

    BundleContent(Bundle bundle) {
        this.bundle = bundle;
    }

    @Override
    public List<String> names() {
        List<String> names = new ArrayList<>();
        Deque<String> folders = new ArrayDeque<>(List.of("/"));
        while (!folders.isEmpty()) {
            Enumeration<String> paths = bundle.getEntryPaths(folders.pop());
            for (String path : paths == null ? List.<String>of() : Collections.list(paths)) {
                names.add(path);
                if (path.endsWith("/")) {
                    folders.push(path);
                }
            }
        }
        return names;
    }

    @Override
    public InputStream open(String name) throws IOException {
        URL entry = bundle.getEntry(name);
        if (entry == null) {
            throw new IOException(name + " went away while it was being checked");
        }
        return entry.openStream();
    }
}
