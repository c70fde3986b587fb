package io.boxagnts.plugins;

import java.io.File;
import java.io.IOException;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipException;

/** Why a file is not an OSGi bundle, in words a user can act on. */
final class JarCheck {

    private JarCheck() {}

    /** @return the problem, or empty when the file is a bundle (a jar whose manifest names its Bundle-SymbolicName) */
    static Optional<String> problem(File file) {
        try (JarFile jar = new JarFile(file)) {
            Manifest manifest = jar.getManifest();
            if (manifest == null) {
                return Optional.of("not an OSGi bundle: the jar has no META-INF/MANIFEST.MF");
            }
            if (manifest.getMainAttributes().getValue("Bundle-SymbolicName") == null) {
                return Optional.of("not an OSGi bundle: its manifest has no Bundle-SymbolicName header");
            }
            return Optional.empty();
        } catch (ZipException e) {
            return Optional.of("not a jar: the file is not a valid zip archive (" + e.getMessage() + ")");
        } catch (IOException | SecurityException e) {
            return Optional.of("cannot be read: " + e.getMessage());
        }
    }
}
