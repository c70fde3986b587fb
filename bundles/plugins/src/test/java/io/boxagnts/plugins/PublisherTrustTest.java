package io.boxagnts.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Timestamp;
import java.security.cert.CertPath;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
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

    /** "Now" for the validity checks, fixed so that the reasons are known to the letter. */
    private static final Clock NOW = Clock.fixed(Instant.parse("2030-06-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void aCertificateExpiredOrNotYetValidIsCheckedAgainstNowWithoutATimestamp() throws Exception {
        Key old = key("old", "CN=Old Publisher", "2000/01/01 00:00:00", 30);
        Key future = key("future", "CN=Future Publisher", "2100/01/01 00:00:00", 30);
        trustCertificate(old, "old.pem");
        trustCertificate(future, "future.pem");
        PublisherTrust policy = PublisherTrust.of("signed-only", trust, NOW);

        String expired = policy.problem(sign(unsigned("a.jar"), old, "old.jar").toFile()).orElseThrow();
        assertEquals("signed with an expired certificate: 'CN=Old Publisher' was valid until " + notAfter(old)
                + ", checked at now (2030-06-01T00:00:00Z; the signature carries no timestamp) (trust policy "
                + "signed-only)", expired);
        String early = policy.problem(sign(unsigned("b.jar"), future, "future.jar").toFile()).orElseThrow();
        assertEquals("signed with a certificate not valid yet: 'CN=Future Publisher' is valid from "
                + certificate(future).getNotBefore().toInstant() + ", checked at now (2030-06-01T00:00:00Z; the "
                + "signature carries no timestamp) (trust policy signed-only)", early);

        // The project's TEST-ONLY key (valid for 20 years from when it was made) at a time after its end.
        Path signed = sign(unsigned("c.jar"), testKey(), "test-only.jar");
        assertEquals(Optional.empty(), policy.problem(signed.toFile()));
        Clock later = Clock.offset(Clock.fixed(certificate(testKey()).getNotAfter().toInstant(), ZoneOffset.UTC),
                java.time.Duration.ofDays(1));
        assertTrue(PublisherTrust.of("signed-only", trust, later).problem(signed.toFile()).orElseThrow().startsWith(
                "signed with an expired certificate: 'CN=BoxAgnts TEST-ONLY tool publisher (not for production)"));
    }

    /**
     * With a timestamp, the time it states is the time of signing, when a timestamp authority of trust/timestamping/
     * made it; a timestamp by anyone else is no evidence, and the signature is checked against now. The JDK's jar
     * verification checks the timestamp token itself; what is decided here is whom to believe.
     */
    @Test
    void aTimestampByATrustedAuthorityMovesTheCheckToTheTimeOfSigning() throws Exception {
        Key old = key("old", "CN=Old Publisher", "2000/01/01 00:00:00", 30);
        Key tsa = key("tsa", "CN=Test TSA", "1999/01/01 00:00:00", 20000);
        trustCertificate(old, "old.pem");
        Date during = Date.from(certificate(old).getNotBefore().toInstant().plus(java.time.Duration.ofDays(10)));
        Date after = Date.from(certificate(old).getNotAfter().toInstant().plus(java.time.Duration.ofDays(10)));
        CodeSigner[] stampedDuring = {new CodeSigner(old.chain(), new Timestamp(during, tsa.chain()))};
        CodeSigner[] stampedAfter = {new CodeSigner(old.chain(), new Timestamp(after, tsa.chain()))};

        String untrustedTsa = PublisherTrust.of("signed-only", trust, NOW).untrusted(stampedDuring).orElseThrow();
        assertEquals("signed with an expired certificate: 'CN=Old Publisher' was valid until " + notAfter(old)
                + ", checked at now (2030-06-01T00:00:00Z; its timestamp is by 'CN=Test TSA', which is not a timestamp "
                + "authority of " + trust.resolve("timestamping") + ") (trust policy signed-only)", untrustedTsa);

        Files.createDirectories(trust.resolve("timestamping"));
        Files.writeString(trust.resolve("timestamping/tsa.pem"), pem(certificate(tsa)));
        PublisherTrust policy = PublisherTrust.of("signed-only", trust, NOW);
        assertEquals(Optional.empty(), policy.untrusted(stampedDuring));
        assertEquals("signed with an expired certificate: 'CN=Old Publisher' was valid until " + notAfter(old)
                + ", checked at the time it was signed (" + after.toInstant() + ", timestamped by 'CN=Test TSA') "
                + "(trust policy signed-only)", policy.untrusted(stampedAfter).orElseThrow());
        assertTrue(policy.untrusted(new CodeSigner[] {new CodeSigner(tsa.chain(), null)}).orElseThrow()
                .startsWith("signed by an unknown publisher: 'CN=Test TSA'"), "a timestamp authority is no publisher");
    }

    /** A key made with keytool, valid from {@code start} (keytool's -startdate; null: now) for {@code days}. */
    private Key key(String alias, String name, String start, int days) throws Exception {
        Path store = dir.resolve(alias + ".p12");
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
                "keytool").toString(), "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", "pass-" + alias, "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
                "-validity", Integer.toString(days), "-dname", name));
        if (start != null) {
            command.addAll(List.of("-startdate", start));
        }
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), output);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, ("pass-" + alias).toCharArray());
        }
        return new Key((PrivateKey) keys.getKey(alias, ("pass-" + alias).toCharArray()), CertificateFactory
                .getInstance("X.509").generateCertPath(List.of(keys.getCertificate(alias))));
    }

    private void trustCertificate(Key key, String file) throws Exception {
        Files.writeString(trust.resolve(file), pem(certificate(key)));
    }

    private static X509Certificate certificate(Key key) {
        return (X509Certificate) key.chain().getCertificates().get(0);
    }

    private static String notAfter(Key key) {
        return certificate(key).getNotAfter().toInstant().toString();
    }

    private static String pem(X509Certificate certificate) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n";
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
        return key("foreign", "CN=Someone Else", null, 30);
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
