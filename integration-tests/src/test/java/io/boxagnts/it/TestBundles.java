package io.boxagnts.it;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Jars the tests drop into the plugins folder: the good fixture bundle and the three kinds of broken ones. */
final class TestBundles {

    static final String GREETER = "io.boxagnts.test.hello.Greeter";
    static final String THROWING_ACTIVATOR = "io.boxagnts.test.hello.ThrowingActivator";

    private TestBundles() {}

    static Path hello() {
        return Path.of(System.getProperty("boxagnts.test.hello"));
    }

    /** Copies next to the target and renames, so the watcher never sees a half-written jar. */
    static void drop(Path jar, Path pluginsDir, String name) throws IOException {
        Path temp = Files.createTempFile(pluginsDir.getParent(), name, ".part");
        Files.copy(jar, temp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(temp, pluginsDir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Drops the tool bundles the distribution ships into a plugins folder, those not there yet. */
    static void dropShippedTools(Path pluginsDir) throws IOException {
        dropShipped(pluginsDir, "");
    }

    /** Drops one shipped tool's bundle ({@code io.boxagnts.tool.NAME-VERSION.jar}), unless it is there already. */
    static void dropShippedTool(Path pluginsDir, String tool) throws IOException {
        dropShipped(pluginsDir, "io.boxagnts.tool." + tool + "-");
    }

    private static void dropShipped(Path pluginsDir, String prefix) throws IOException {
        for (Path jar : RuntimeContainer.toolBundles()) {
            String name = jar.getFileName().toString();
            if (name.startsWith(prefix) && !Files.exists(pluginsDir.resolve(name))) {
                drop(jar, pluginsDir, name);
            }
        }
    }

    /** Writes a text file whole: the watcher never sees it half written. */
    static Path writeWhole(Path target, String content) throws IOException {
        Path temp = Files.createTempFile(target.getParent().getParent(), target.getFileName().toString(), ".part");
        Files.writeString(temp, content);
        return Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A code-free tool bundle: a descriptor and a module, as tool-plugins/package-bundles.sh makes them. */
    static Path toolBundle(Path dir, String name, byte[] module, String workspace, long timeoutMs) throws IOException {
        return toolBundle(dir, name, module, workspace, timeoutMs, 16);
    }

    static Path toolBundle(Path dir, String name, byte[] module, String workspace, long timeoutMs, int memoryMb)
            throws IOException {
        String descriptor = "{\"name\":\"" + name + "\",\"description\":\"test tool " + name + "\","
                + "\"inputSchema\":{\"type\":\"object\"},\"permissions\":{\"workspace\":\"" + workspace + "\"},"
                + "\"limits\":{\"timeoutMs\":" + timeoutMs + ",\"maxMemoryMb\":" + memoryMb + ",\"maxOutputKb\":64}}";
        return bundle(dir.resolve(name + ".jar"), Map.of(
                "Bundle-SymbolicName", "test.tool." + name,
                "BoxAgnts-Tool", "tool.json"), Map.of(
                "tool.json", descriptor.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                name + ".wasm", module));
    }

    /** A code-free tool bundle with the given descriptor and module, as a publisher's build makes one. */
    static Path toolBundle(Path jar, String symbolicName, byte[] descriptor, String moduleName, byte[] module)
            throws IOException {
        return bundle(jar, Map.of("Bundle-SymbolicName", symbolicName, "BoxAgnts-Tool", "tool.json"),
                Map.of("tool.json", descriptor, moduleName, module));
    }

    static byte[] hostileModule(String name) throws IOException {
        return Files.readAllBytes(Path.of(System.getProperty("boxagnts.test.hostile"), name + ".wasm"));
    }

    static Path notAZip(Path dir) throws IOException {
        return Files.writeString(dir.resolve("garbage.jar"), "this is not a jar, just text with a .jar name");
    }

    static Path unresolvable(Path dir) throws IOException {
        return bundle(dir.resolve("unresolvable.jar"), Map.of(
                "Bundle-SymbolicName", "test.unresolvable",
                "Import-Package", "does.not.exist;version=\"[1,2)\""), Map.of());
    }

    static Path throwingActivator(Path dir) throws IOException {
        String entry = THROWING_ACTIVATOR.replace('.', '/') + ".class";
        byte[] bytes = Files.readAllBytes(Path.of(System.getProperty("boxagnts.test.fixture.classes"), entry));
        return bundle(dir.resolve("throwing.jar"), Map.of(
                "Bundle-SymbolicName", "test.throwing",
                "Bundle-Activator", THROWING_ACTIVATOR,
                "Import-Package", "org.osgi.framework"), Map.of(entry, bytes));
    }

    private static Path bundle(Path jar, Map<String, String> headers, Map<String, byte[]> entries) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-Version", "1.0.0");
        headers.forEach(main::putValue);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return jar;
    }
}
