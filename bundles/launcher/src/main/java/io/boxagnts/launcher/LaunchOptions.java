package io.boxagnts.launcher;

import java.nio.file.Path;
import java.util.List;

/**
 * What the user asked for, validated: every path is absolute and real.
 *
 * @param workspace the directory the agent and its tools work on
 * @param host the address the HTTP server binds to
 * @param port the HTTP port
 * @param dataDir sessions, configuration, caches
 * @param pluginsDir the hot-deploy folder watched for tool and extension bundles
 * @param confDir the folder watched for configuration files ({@code PID.cfg}, {@code PID.config}, factory
 *     configurations as {@code FACTORY-NAME.cfg})
 * @param modelUrl an OpenAI-compatible server the user named, or empty
 * @param access who may use the HTTP server
 */
public record LaunchOptions(Path workspace, String host, int port, Path dataDir, Path pluginsDir, Path confDir,
        String modelUrl, Access access) {

    /**
     * @param tokenFile the access token's file
     * @param userManaged whether the user named it (--access-token-file) rather than the default one being generated
     * @param allowedHosts names the server answers to besides the loopback ones (e.g. behind a reverse proxy)
     * @param adminTokenFile the administrator's token (--admin-token-file), or null: then the access token administers
     */
    public record Access(Path tokenFile, boolean userManaged, List<String> allowedHosts, Path adminTokenFile) {

        public Access {
            allowedHosts = List.copyOf(allowedHosts);
        }

        /** No separate administrator: the access token holder administers. */
        public Access(Path tokenFile, boolean userManaged, List<String> allowedHosts) {
            this(tokenFile, userManaged, allowedHosts, null);
        }

        /** The generated token in the data directory, loopback names only. */
        public static Access local(Path dataDir) {
            return new Access(dataDir.resolve("access-token"), false, List.of());
        }
    }
}
