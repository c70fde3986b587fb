package io.boxagnts.plugins;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Writes bundles into the plugins folder and deletes them, for the admin API. A bundle is written under a name
 * FileInstall does not watch, checked (a bundle, and trusted under the signed-only policy), and only then renamed
 * into place (atomically, on the same file system), so the
 * watcher never sees half a jar and a refused upload leaves nothing behind.
 */
final class PluginFolder {

    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}\\.jar");

    private final BundleContext context;
    private final Path dir;
    private final PublisherTrust trust;

    PluginFolder(BundleContext context, Path dir, PublisherTrust trust) {
        this.context = context;
        this.dir = dir;
        this.trust = trust;
    }

    String deploy(String fileName, InputStream jar, long maxBytes) throws IOException {
        Path target = target(fileName);
        Files.createDirectories(dir);
        Path temp = dir.resolve(".upload-" + UUID.randomUUID() + ".part");
        try {
            copy(jar, temp, maxBytes);
            JarCheck.problem(temp.toFile()).or(() -> trust.problem(temp.toFile())).ifPresent(problem -> {
                throw new IllegalArgumentException(problem);
            });
            String symbolicName = symbolicName(temp);
            checkNotTaken(symbolicName, target);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return symbolicName;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    void remove(String fileName) throws IOException {
        Path target = target(fileName);
        if (!Files.isRegularFile(target)) {
            throw new NoSuchFileException(fileName, null, "the plugins folder has no such jar");
        }
        Files.delete(target);
    }

    private Path target(String fileName) {
        if (fileName == null || !FILE_NAME.matcher(fileName).matches()) {
            throw new IllegalArgumentException("a plugin's file name is letters, digits, '.', '_' and '-' ending in "
                    + ".jar (no folders), not '" + fileName + "'");
        }
        return dir.resolve(fileName);
    }

    private static void copy(InputStream in, Path temp, long maxBytes) throws IOException {
        try (OutputStream out = Files.newOutputStream(temp)) {
            byte[] buffer = new byte[65536];
            long total = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > maxBytes) {
                    throw new IllegalArgumentException("the bundle is larger than " + maxBytes + " bytes; copy a "
                            + "larger one into the plugins folder instead");
                }
                out.write(buffer, 0, n);
            }
        }
    }

    private static String symbolicName(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            String header = file.getManifest().getMainAttributes().getValue("Bundle-SymbolicName");
            return header.split(";")[0].trim();
        }
    }

    /** A plugin may not replace a core bundle, nor deploy a bundle a second time under another name. */
    private void checkNotTaken(String symbolicName, Path target) {
        for (Bundle bundle : context.getBundles()) {
            if (!symbolicName.equals(bundle.getSymbolicName())) {
                continue;
            }
            Path from = PluginMonitor.locationPath(bundle.getLocation());
            if (from == null || !dir.equals(from.getParent())) {
                throw new IllegalArgumentException(symbolicName + " is a core bundle of the distribution; a plugin "
                        + "cannot replace it");
            }
            if (!from.equals(target)) {
                throw new IllegalArgumentException(symbolicName + " is already deployed as plugins/"
                        + from.getFileName() + "; remove it first, or upload under that name to replace it");
            }
        }
    }
}
