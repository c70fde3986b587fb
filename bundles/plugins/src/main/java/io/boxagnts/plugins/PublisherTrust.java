package io.boxagnts.plugins;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.stream.Collectors;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Which plugins may run: under {@code signed-only}, a jar every entry of which is signed by a trusted publisher (a
 * certificate of the distribution's {@code trust/} folder, or one it issued) and unchanged since. The check reads
 * the whole jar through the JDK's own jar verification (the digests of the manifest and of every entry), before the
 * jar is installed, so nothing of a refused jar ever runs (decision 0022).
 */
final class PublisherTrust {

    static final String ANY = "any";
    static final String SIGNED_ONLY = "signed-only";

    private final boolean signedOnly;
    private final Path dir;
    private final List<X509Certificate> publishers;
    /** Why the trust store could not be read, or empty; under signed-only every jar is then refused with it. */
    private final String storeProblem;

    private PublisherTrust(boolean signedOnly, Path dir, List<X509Certificate> publishers, String storeProblem) {
        this.signedOnly = signedOnly;
        this.dir = dir;
        this.publishers = List.copyOf(publishers);
        this.storeProblem = storeProblem;
    }

    /** Trusts every jar. */
    static PublisherTrust any() {
        return new PublisherTrust(false, null, List.of(), "");
    }

    /**
     * @param policy {@code any} or {@code signed-only}; anything else is treated as signed-only (a misspelt policy
     *     must not open the door; the launcher refuses to start with one anyway)
     * @param dir the folder of publisher certificates, or null
     */
    static PublisherTrust of(String policy, Path dir) {
        if (policy == null || policy.equals(ANY)) {
            return any();
        }
        if (dir == null) {
            return new PublisherTrust(true, null, List.of(), "this distribution names no trust store");
        }
        List<X509Certificate> publishers = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.{pem,crt,cer,der}")) {
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            for (Path file : files) {
                try (InputStream in = Files.newInputStream(file)) {
                    for (Certificate certificate : x509.generateCertificates(in)) {
                        publishers.add((X509Certificate) certificate);
                    }
                } catch (IOException | GeneralSecurityException e) {
                    unreadable.add(file.getFileName() + " (" + e.getMessage() + ")");
                }
            }
        } catch (NoSuchFileException e) {
            return new PublisherTrust(true, dir, List.of(), "the trust store " + dir + " does not exist");
        } catch (IOException | GeneralSecurityException e) {
            return new PublisherTrust(true, dir, List.of(), "the trust store " + dir + " cannot be read: " + e);
        }
        String problem = publishers.isEmpty() ? "the trust store " + dir + " holds no publisher certificate"
                + (unreadable.isEmpty() ? "" : "; unreadable: " + String.join(", ", unreadable)) : "";
        return new PublisherTrust(true, dir, publishers, problem);
    }

    boolean signedOnly() {
        return signedOnly;
    }

    /** What the log says at start. */
    String describe() {
        if (!signedOnly) {
            return "any plugin runs (trust policy any)";
        }
        return storeProblem.isEmpty()
                ? "only plugins signed by a trusted publisher run (trust policy signed-only; " + dir + ": "
                        + publishers.stream().map(c -> c.getSubjectX500Principal().getName()).collect(
                                Collectors.joining("; ")) + ")"
                : "no plugin runs: " + storeProblem;
    }

    /** @return why the jar file may not run, or empty when it may */
    Optional<String> problem(File jar) {
        if (!signedOnly) {
            return Optional.empty();
        }
        try (JarFile file = new JarFile(jar, false)) {
            return problem(new Content() {
                @Override
                public List<String> names() {
                    return file.stream().map(JarEntry::getName).toList();
                }

                @Override
                public InputStream open(String name) throws IOException {
                    return file.getInputStream(file.getEntry(name));
                }
            });
        } catch (IOException e) {
            return Optional.of("cannot be read: " + e.getMessage());
        }
    }

    /**
     * The entries of a jar, as whoever will run it reads them: a jar file, or an installed bundle's content in the
     * framework's cache ({@link BundleContent}).
     */
    interface Content {
        /** Every entry's name; a directory's ends with '/'. */
        List<String> names() throws IOException;

        InputStream open(String name) throws IOException;
    }

    /**
     * @return why the content may not run, or empty when it may. The entries are read once, through
     *     {@code content}, into a jar laid out as the JDK's stream verification wants it (manifest, signature files,
     *     the rest), which is then verified: so what is checked is exactly what {@code content} serves, whatever the
     *     file it came from looks like (decision 0031).
     */
    Optional<String> problem(Content content) {
        if (!signedOnly) {
            return Optional.empty();
        }
        if (!storeProblem.isEmpty()) {
            return Optional.of("refused under the signed-only policy: " + storeProblem);
        }
        try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(relaid(content)), true)) {
            String unsigned = null;
            String foreign = null;
            boolean signed = false;
            byte[] buffer = new byte[65536];
            for (JarEntry entry; (entry = jar.getNextJarEntry()) != null; ) {
                if (entry.isDirectory() || isSignatureFile(entry.getName())) {
                    continue;
                }
                // Reading an entry to its end is what checks its digest; the signers are known only then.
                while (jar.read(buffer) >= 0) {
                    // read to the end
                }
                CodeSigner[] signers = entry.getCodeSigners();
                if (signers == null) {
                    unsigned = unsigned == null ? entry.getName() : unsigned;
                    continue;
                }
                signed = true;
                if (!trusted(signers) && foreign == null) {
                    foreign = subject(signers[0]);
                }
            }
            if (!signed) {
                return Optional.of("not signed: this distribution runs only plugins signed by a trusted publisher "
                        + "(trust policy signed-only)");
            }
            if (unsigned != null) {
                return Optional.of("altered after signing: " + unsigned + " is not covered by the signature (added or "
                        + "replaced after the jar was signed)");
            }
            if (foreign != null) {
                return Optional.of("signed by an unknown publisher: '" + foreign + "' is not in the trust store "
                        + dir + " (trust policy signed-only)");
            }
            return Optional.empty();
        } catch (SecurityException e) {
            // The JDK names what does not match, e.g. "SHA-256 digest error for grep.wasm".
            return Optional.of("altered after signing: " + e.getMessage());
        } catch (IOException e) {
            return Optional.of("cannot be read: " + e.getMessage());
        }
    }

    /**
     * The content's files as one jar in the order {@link JarInputStream} verifies: the manifest first, then the
     * signature files, then every other entry. A name twice is refused: which copy runs would depend on the reader.
     */
    private static byte[] relaid(Content content) throws IOException {
        List<String> manifest = new ArrayList<>();
        List<String> signatures = new ArrayList<>();
        List<String> others = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : content.names()) {
            if (name.endsWith("/")) {
                continue;
            }
            if (!seen.add(name)) {
                throw new IOException("the jar holds " + name + " twice");
            }
            (name.equalsIgnoreCase(JarFile.MANIFEST_NAME) ? manifest : isSignatureFile(name) ? signatures : others)
                    .add(name);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.setLevel(Deflater.NO_COMPRESSION);
            for (List<String> group : List.of(manifest, signatures, others)) {
                for (String name : group) {
                    zip.putNextEntry(new ZipEntry(name));
                    try (InputStream in = content.open(name)) {
                        in.transferTo(zip);
                    }
                    zip.closeEntry();
                }
            }
        }
        return bytes.toByteArray();
    }

    /** A signer is trusted when its certificate, or one up its chain that signed the one below, is a publisher's. */
    private boolean trusted(CodeSigner[] signers) {
        for (CodeSigner signer : signers) {
            List<? extends Certificate> chain = signer.getSignerCertPath().getCertificates();
            for (int i = 0; i < chain.size(); i++) {
                if (publishers.contains(chain.get(i))) {
                    return true;
                }
                if (i + 1 < chain.size() && !issuedBy(chain.get(i), chain.get(i + 1))) {
                    break;
                }
            }
        }
        return false;
    }

    private static boolean issuedBy(Certificate certificate, Certificate issuer) {
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String subject(CodeSigner signer) {
        Certificate first = signer.getSignerCertPath().getCertificates().get(0);
        return first instanceof X509Certificate x509 ? x509.getSubjectX500Principal().getName() : first.getType();
    }

    /** The manifest and the signature block files, which a signature covers by other means. */
    private static boolean isSignatureFile(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (upper.equals(JarFile.MANIFEST_NAME)) {
            return true;
        }
        if (!upper.startsWith("META-INF/") || upper.indexOf('/', "META-INF/".length()) >= 0) {
            return false;
        }
        return upper.endsWith(".SF") || upper.endsWith(".RSA") || upper.endsWith(".DSA") || upper.endsWith(".EC")
                || upper.startsWith("META-INF/SIG-");
    }
}
