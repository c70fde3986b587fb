package io.boxagnts.api.runtime;

/**
 * Names of the framework properties the launcher sets; read them with {@code BundleContext.getProperty}. Compile-time
 * constants, so the launcher (which is not a bundle) can use them without this bundle on its class path.
 */
public final class RuntimeProperties {

    /** BoxAgnts release, e.g. {@code 0.1.0}. */
    public static final String VERSION = "boxagnts.version";
    /** Absolute, real path of the workspace the tools work on. */
    public static final String WORKSPACE = "boxagnts.workspace";
    /** Absolute path of the data directory (sessions, configuration, caches). */
    public static final String DATA_DIR = "boxagnts.data.dir";
    /** Absolute path of the hot-deploy plugins folder. */
    public static final String PLUGINS_DIR = "boxagnts.plugins.dir";
    /** An OpenAI-compatible server the user named with --model-url (absent when none). */
    public static final String MODEL_URL = "boxagnts.model.url";
    /** When the launcher's JVM started, as epoch milliseconds. */
    public static final String STARTED_AT = "boxagnts.started.at";

    /** The file holding the access token the HTTP API requires (one line, at least 32 characters, mode 0600). */
    public static final String ACCESS_TOKEN_FILE = "boxagnts.access.token.file";
    /**
     * The file holding the administrator's token (as the access token: one line, 32+ characters, mode 0600); absent
     * when none is set, and then the access token may administer too.
     */
    public static final String ADMIN_TOKEN_FILE = "boxagnts.admin.token.file";
    /**
     * The address the HTTP API listens on, as the command line gave it ({@code --host}, default 127.0.0.1). Not Felix
     * HTTP's own {@code org.apache.felix.http.host}: that connector is a throwaway one (decision 0034).
     */
    public static final String HTTP_HOST = "boxagnts.http.host";
    /** The port the HTTP API listens on ({@code --port}); not Felix HTTP's own {@code org.osgi.service.http.port}. */
    public static final String HTTP_PORT = "boxagnts.http.port";
    /** Comma-separated host names the HTTP server answers to besides the loopback ones (absent when none). */
    public static final String ALLOWED_HOSTS = "boxagnts.http.allowed.hosts";

    /** The distribution's profile, e.g. {@code developer}, {@code enterprise}; {@code custom} outside one. */
    public static final String PROFILE = "boxagnts.profile";
    /**
     * Which plugins may run: {@code any}, or {@code signed-only}: only jars every entry of which is signed by a
     * publisher whose certificate is in {@link #TRUST_DIR}, unaltered since.
     */
    public static final String TRUST_POLICY = "boxagnts.trust.policy";
    /** The folder of trusted publishers' certificates (X.509, PEM or DER, one per file); absent when none. */
    public static final String TRUST_DIR = "boxagnts.trust.dir";

    private RuntimeProperties() {}
}
