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
import java.security.Timestamp;
import java.security.cert.CertPath;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    /** The folder of {@code trust/} holding the timestamp authorities whose timestamps count. */
    static final String TIMESTAMPING = "timestamping";

    private final boolean signedOnly;
    private final Path dir;
    private final List<X509Certificate> publishers;
    private final List<X509Certificate> timestampers;
    /** Why the trust store could not be read, or empty; under signed-only every jar is then refused with it. */
    private final String storeProblem;
    /** The time a signature without a (trusted) timestamp is checked at: now, from the test's clock in tests. */
    private final Clock clock;

    private PublisherTrust(boolean signedOnly, Path dir, List<X509Certificate> publishers,
            List<X509Certificate> timestampers, String storeProblem, Clock clock) {
        this.signedOnly = signedOnly;
        this.dir = dir;
        this.publishers = List.copyOf(publishers);
        this.timestampers = List.copyOf(timestampers);
        this.storeProblem = storeProblem;
        this.clock = clock;
    }

    /** Trusts every jar. */
    static PublisherTrust any() {
        return new PublisherTrust(false, null, List.of(), List.of(), "", Clock.systemUTC());
    }

    /**
     * @param policy {@code any} or {@code signed-only}; anything else is treated as signed-only (a misspelt policy
     *     must not open the door; the launcher refuses to start with one anyway)
     * @param dir the folder of publisher certificates, or null
     */
    static PublisherTrust of(String policy, Path dir) {
        return of(policy, dir, Clock.systemUTC());
    }

    /** As {@link #of(String, Path)}, with the clock that says what "now" is. */
    static PublisherTrust of(String policy, Path dir, Clock clock) {
        if (policy == null || policy.equals(ANY)) {
            return any();
        }
        if (dir == null) {
            return new PublisherTrust(true, null, List.of(), List.of(), "this distribution names no trust store",
                    clock);
        }
        List<X509Certificate> publishers = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        try {
            publishers.addAll(certificates(dir, unreadable));
        } catch (NoSuchFileException e) {
            return new PublisherTrust(true, dir, List.of(), List.of(), "the trust store " + dir + " does not exist",
                    clock);
        } catch (IOException | GeneralSecurityException e) {
            return new PublisherTrust(true, dir, List.of(), List.of(), "the trust store " + dir + " cannot be read: "
                    + e, clock);
        }
        List<X509Certificate> timestampers = new ArrayList<>();
        try {
            timestampers.addAll(certificates(dir.resolve(TIMESTAMPING), unreadable));
        } catch (NoSuchFileException e) {
            // no timestamp authority trusted: every signature is checked against the current time
        } catch (IOException | GeneralSecurityException e) {
            unreadable.add(TIMESTAMPING + "/ (" + e.getMessage() + ")");
        }
        String problem = publishers.isEmpty() ? "the trust store " + dir + " holds no publisher certificate"
                + (unreadable.isEmpty() ? "" : "; unreadable: " + String.join(", ", unreadable)) : "";
        return new PublisherTrust(true, dir, publishers, timestampers, problem, clock);
    }

    /** The X.509 certificates of a folder's certificate files (PEM or DER); those that cannot be read are named. */
    private static List<X509Certificate> certificates(Path folder, List<String> unreadable)
            throws IOException, GeneralSecurityException {
        List<X509Certificate> certificates = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.{pem,crt,cer,der}")) {
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            for (Path file : files) {
                try (InputStream in = Files.newInputStream(file)) {
                    for (Certificate certificate : x509.generateCertificates(in)) {
                        certificates.add((X509Certificate) certificate);
                    }
                } catch (IOException | GeneralSecurityException e) {
                    unreadable.add(file.getFileName() + " (" + e.getMessage() + ")");
                }
            }
        }
        return certificates;
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
                        + names(publishers) + (timestampers.isEmpty() ? "; no timestamp authority: signatures are "
                                + "checked against the current time" : "; timestamp authorities: "
                                        + names(timestampers)) + ")"
                : "no plugin runs: " + storeProblem;
    }

    private static String names(List<X509Certificate> certificates) {
        return certificates.stream().map(c -> c.getSubjectX500Principal().getName()).collect(Collectors.joining("; "));
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
            String untrusted = null;
            boolean signed = false;
            // entries signed alike share their signers' array: each is judged once
            Map<CodeSigner[], Optional<String>> verdicts = new IdentityHashMap<>();
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
                Optional<String> verdict = verdicts.computeIfAbsent(signers, this::untrusted);
                if (verdict.isPresent() && untrusted == null) {
                    untrusted = verdict.get();
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
            return Optional.ofNullable(untrusted);
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

    /**
     * Why none of an entry's signers is a trusted publisher whose certificate was valid when it signed, or empty when
     * one is. A signer is a publisher when its certificate, or one up its chain that signed the one below, is in the
     * trust store. Every certificate from the signer's up to the publisher's must be valid at the time of signing:
     * the time its timestamp states, when a timestamp authority of {@code trust/timestamping/} made it (and was
     * valid then); otherwise now, as nothing else says when it was signed (decision 0031).
     */
    Optional<String> untrusted(CodeSigner[] signers) {
        String invalid = null;
        for (CodeSigner signer : signers) {
            List<X509Certificate> chain = chainTo(publishers, signer.getSignerCertPath());
            if (chain.isEmpty()) {
                continue;
            }
            Optional<String> expired = invalidAtSigning(signer, chain);
            if (expired.isEmpty()) {
                return Optional.empty();
            }
            invalid = invalid == null ? expired.get() : invalid;
        }
        return Optional.of(invalid != null ? invalid : "signed by an unknown publisher: '" + subject(signers[0])
                + "' is not in the trust store " + dir + " (trust policy signed-only)");
    }

    /** Why a certificate of the chain was not valid when the signer signed, or empty. */
    private Optional<String> invalidAtSigning(CodeSigner signer, List<X509Certificate> chain) {
        Timestamp stamp = signer.getTimestamp();
        Date at;
        String when;
        if (stamp == null) {
            at = Date.from(clock.instant());
            when = "now (" + at.toInstant() + "; the signature carries no timestamp)";
        } else if (timestamper(stamp).isEmpty()) {
            at = Date.from(clock.instant());
            when = "now (" + at.toInstant() + "; its timestamp is by '" + subject(stamp.getSignerCertPath())
                    + "', which is not a timestamp authority of " + dir.resolve(TIMESTAMPING) + ")";
        } else {
            at = stamp.getTimestamp();
            when = "the time it was signed (" + at.toInstant() + ", timestamped by '"
                    + subject(stamp.getSignerCertPath()) + "')";
        }
        for (X509Certificate certificate : chain) {
            String name = certificate.getSubjectX500Principal().getName();
            try {
                certificate.checkValidity(at);
            } catch (CertificateExpiredException e) {
                return Optional.of("signed with an expired certificate: '" + name + "' was valid until "
                        + certificate.getNotAfter().toInstant() + ", checked at " + when + " (trust policy signed-only)");
            } catch (CertificateNotYetValidException e) {
                return Optional.of("signed with a certificate not valid yet: '" + name + "' is valid from "
                        + certificate.getNotBefore().toInstant() + ", checked at " + when
                        + " (trust policy signed-only)");
            }
        }
        return Optional.empty();
    }

    /** The timestamp's authority, when it is one of trust/timestamping/ (or issued by one) and was valid then. */
    private Optional<X509Certificate> timestamper(Timestamp stamp) {
        List<X509Certificate> chain = chainTo(timestampers, stamp.getSignerCertPath());
        try {
            for (X509Certificate certificate : chain) {
                certificate.checkValidity(stamp.getTimestamp());
            }
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            return Optional.empty();
        }
        return chain.isEmpty() ? Optional.empty() : Optional.of(chain.get(0));
    }

    /**
     * The certificates of a path from its first up to the first one that is in {@code anchors}, each link verified
     * (each signed by the next); empty when the path leads to none of them.
     */
    private static List<X509Certificate> chainTo(List<X509Certificate> anchors, CertPath path) {
        List<? extends Certificate> certificates = path.getCertificates();
        List<X509Certificate> chain = new ArrayList<>();
        for (int i = 0; i < certificates.size(); i++) {
            if (!(certificates.get(i) instanceof X509Certificate certificate)) {
                return List.of();
            }
            chain.add(certificate);
            if (anchors.contains(certificate)) {
                return chain;
            }
            if (i + 1 < certificates.size() && !issuedBy(certificate, certificates.get(i + 1))) {
                return List.of();
            }
        }
        return List.of();
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
        return subject(signer.getSignerCertPath());
    }

    private static String subject(CertPath path) {
        Certificate first = path.getCertificates().get(0);
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
