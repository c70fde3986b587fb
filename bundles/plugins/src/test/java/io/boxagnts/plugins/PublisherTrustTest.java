package io.boxagnts.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPath;
import java.security.cert.CertificateFactory;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import jdk.security.jarsigner.JarSigner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signed-only policy against jars signed with the project's TEST-ONLY publisher key (the one the build signs the
 * core tools with), with a foreign key, not at all, and altered after signing.
 */
class PublisherTrustTest {

    /** The project's test key, as the build uses it (tool-plugins/signing/). */
    private static final Path SIGNING = Path.of("../../tool-plugins/signing");

    @TempDir
    Path dir;
    private Path trust;

    @BeforeEach
    void trustTheTestPublisher() throws IOException {
        trust = Files.createDirectories(dir.resolve("trust"));
        Files.copy(SIGNING.resolve("TEST-ONLY-boxagnts-publisher.pem"), trust.resolve("test-only.pem"));
    }

    @Test
    void aJarSignedByATrustedPublisherRuns() throws Exception {
        Path signed = sign(unsigned("tool.jar"), testKey(), "signed.jar");
        assertEquals(Optional.empty(), PublisherTrust.of("signed-only", trust).problem(signed.toFile()));
    }

    @Test
    void anUnsignedJarIsRefusedUnderSignedOnlyAndRunsUnderAny() throws Exception {
        Path jar = unsigned("tool.jar");
        assertEquals(Optional.of("not signed: this distribution runs only plugins signed by a trusted publisher "
                + "(trust policy signed-only)"), PublisherTrust.of("signed-only", trust).problem(jar.toFile()));
        assertEquals(Optional.empty(), PublisherTrust.of("any", trust).problem(jar.toFile()));
    }

    @Test
    void aJarSignedByAnotherKeyIsRefusedNamingItsSigner() throws Exception {
        Path foreign = sign(unsigned("tool.jar"), foreignKey(), "foreign.jar");
        String problem = PublisherTrust.of("signed-only", trust).problem(foreign.toFile()).orElseThrow();
        assertTrue(problem.startsWith("signed by an unknown publisher: 'CN=Someone Else' is not in the trust store "),
                problem);
    }

    @Test
    void oneByteOfTheWasmChangedAfterSigningIsFound() throws Exception {
        Path signed = sign(unsigned("tool.jar"), testKey(), "signed.jar");
        Path tampered = rewrite(signed, "tampered.jar", "tool.wasm", bytes -> bytes[bytes.length - 1] ^= 1);
        String problem = PublisherTrust.of("signed-only", trust).problem(tampered.toFile()).orElseThrow();
        assertEquals("altered after signing: SHA-256 digest error for tool.wasm", problem);
    }

    @Test
    void anEntryAddedAfterSigningIsFound() throws Exception {
        Path signed = sign(unsigned("tool.jar"), testKey(), "signed.jar");
        Path added = dir.resolve("added.jar");
        try (ZipFile in = new ZipFile(signed.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(added))) {
            for (ZipEntry entry : Collections.list(in.entries())) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                in.getInputStream(entry).transferTo(out);
            }
            out.putNextEntry(new ZipEntry("extra.wasm"));
            out.write(new byte[] {0, 'a', 's', 'm'});
        }
        assertEquals(Optional.of("altered after signing: extra.wasm is not covered by the signature (added or "
                + "replaced after the jar was signed)"), PublisherTrust.of("signed-only", trust).problem(added.toFile()));
    }

    @Test
    void withoutAnyTrustedPublisherNothingRuns() throws Exception {
        Path signed = sign(unsigned("tool.jar"), testKey(), "signed.jar");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertEquals(Optional.of("refused under the signed-only policy: the trust store " + empty
                + " holds no publisher certificate"), PublisherTrust.of("signed-only", empty).problem(signed.toFile()));
        assertTrue(PublisherTrust.of("signed-only", dir.resolve("missing")).problem(signed.toFile()).orElseThrow()
                .endsWith("does not exist"));
    }

    /** A code-free tool bundle as package-bundles.sh makes one. */
    private Path unsigned(String name) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "io.boxagnts.test.tool");
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("BoxAgnts-Tool", "tool.json");
        Path jar = dir.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new JarEntry("tool.json"));
            out.write("{\"name\":\"tool\"}".getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new JarEntry("tool.wasm"));
            out.write(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        }
        return jar;
    }

    private record Key(PrivateKey key, CertPath chain) {}

    private static Key testKey() throws Exception {
        char[] password = Files.readString(SIGNING.resolve("TEST-ONLY-storepass.txt")).trim().toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(SIGNING.resolve("TEST-ONLY-boxagnts-publisher.p12"))) {
            store.load(in, password);
        }
        return new Key((PrivateKey) store.getKey("boxagnts-test-only", password), CertificateFactory
                .getInstance("X.509").generateCertPath(List.of(store.getCertificate("boxagnts-test-only"))));
    }

    /** A key of someone the distribution does not know, made with the JDK's keytool. */
    private Key foreignKey() throws Exception {
        Path store = dir.resolve("foreign.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "foreign-pass",
                "-alias", "foreign", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "30", "-dname",
                "CN=Someone Else").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), output);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "foreign-pass".toCharArray());
        }
        return new Key((PrivateKey) keys.getKey("foreign", "foreign-pass".toCharArray()), CertificateFactory
                .getInstance("X.509").generateCertPath(List.of(keys.getCertificate("foreign"))));
    }

    private Path sign(Path jar, Key key, String name) throws Exception {
        Path signed = dir.resolve(name);
        try (ZipFile in = new ZipFile(jar.toFile()); OutputStream out = Files.newOutputStream(signed)) {
            new JarSigner.Builder(key.key(), key.chain()).digestAlgorithm("SHA-256").build().sign(in, out);
        }
        return signed;
    }

    private interface Change {
        void apply(byte[] bytes);
    }

    /** The jar again, entry by entry (its signature files too), with one entry's bytes changed. */
    private Path rewrite(Path jar, String name, String entryName, Change change) throws IOException {
        Path changed = dir.resolve(name);
        try (ZipFile in = new ZipFile(jar.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(changed))) {
            for (ZipEntry entry : Collections.list(in.entries())) {
                byte[] bytes = in.getInputStream(entry).readAllBytes();
                if (entry.getName().equals(entryName)) {
                    change.apply(bytes);
                }
                out.putNextEntry(new ZipEntry(entry.getName()));
                out.write(bytes);
            }
        }
        return changed;
    }
}
