package io.boxagnts.webfetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS a fetch uses: the JVM's trusted certificate authorities and, for tests only, certificates a test names
 * ({@link WebFetchService#TEST_TRUSTED_CERTIFICATES}), so that a local HTTPS server with a certificate the test made
 * can stand for an allowlisted site. Host names are verified either way ({@link HttpGet}).
 */
final class Tls {

    /** The socket factory of https fetches. */
    interface Factory {
        SSLSocketFactory get() throws IOException;
    }

    private Tls() {}

    /**
     * The factory made at the first https fetch, not when the component activates: web fetch is off by default, and
     * making it loads and parses the JVM's trusted authorities (~100 ms of CPU, on the start-up path when it was made
     * in the constructor). A failure is the fetch's, and the next fetch tries again.
     */
    static Factory lazy(String testCertificates) {
        return new Factory() {
            private SSLSocketFactory made;

            @Override
            public synchronized SSLSocketFactory get() throws IOException {
                if (made == null) {
                    try {
                        made = socketFactory(testCertificates);
                    } catch (GeneralSecurityException e) {
                        throw new IOException("no TLS: " + e.getMessage(), e);
                    }
                }
                return made;
            }
        };
    }

    /**
     * @param testCertificates comma-separated PEM files whose certificates are trusted as well; null or blank: none
     *     (production)
     */
    static SSLSocketFactory socketFactory(String testCertificates) throws GeneralSecurityException, IOException {
        if (testCertificates == null || testCertificates.isBlank()) {
            return SSLContext.getDefault().getSocketFactory();
        }
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        int n = 0;
        TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        defaults.init((KeyStore) null);
        for (TrustManager manager : defaults.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                for (X509Certificate authority : x509.getAcceptedIssuers()) {
                    trusted.setCertificateEntry("jvm-" + n++, authority);
                }
            }
        }
        CertificateFactory certificates = CertificateFactory.getInstance("X.509");
        for (String file : testCertificates.split(",")) {
            if (file.isBlank()) {
                continue;
            }
            try (InputStream in = Files.newInputStream(Path.of(file.strip()))) {
                for (Certificate certificate : certificates.generateCertificates(in)) {
                    trusted.setCertificateEntry("test-" + n++, certificate);
                }
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context.getSocketFactory();
    }
}
