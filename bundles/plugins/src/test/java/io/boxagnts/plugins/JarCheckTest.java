package io.boxagnts.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JarCheckTest {

    @TempDir
    Path temp;

    @Test
    void aBundleHasNoProblem() throws IOException {
        assertEquals(Optional.empty(), JarCheck.problem(jar("ok.jar", "x.y").toFile()));
    }

    @Test
    void textIsNotAJar() throws IOException {
        Path file = Files.writeString(temp.resolve("t.jar"), "hello");
        assertTrue(JarCheck.problem(file.toFile()).orElseThrow().startsWith("not a jar"));
    }

    @Test
    void aJarWithoutSymbolicNameIsNotABundle() throws IOException {
        assertTrue(JarCheck.problem(jar("plain.jar", null).toFile()).orElseThrow().contains("no Bundle-SymbolicName"));
    }

    @Test
    void aZipWithoutManifestIsNotABundle() throws IOException {
        Path zip = temp.resolve("z.jar");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("a.txt"));
            z.closeEntry();
        }
        assertTrue(JarCheck.problem(zip.toFile()).orElseThrow().contains("no META-INF/MANIFEST.MF"));
    }

    private Path jar(String name, String symbolicName) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (symbolicName != null) {
            manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        }
        Path jar = temp.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest)) {
            j.flush();
        }
        return jar;
    }
}
