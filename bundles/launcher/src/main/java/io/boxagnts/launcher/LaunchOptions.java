package io.boxagnts.launcher;

import java.nio.file.Path;

/**
 * What the user asked for, validated: every path is absolute and real.
 *
 * @param workspace the directory the agent and its tools work on
 * @param host the address the HTTP server binds to
 * @param port the HTTP port
 * @param dataDir sessions, configuration, caches
 * @param pluginsDir the hot-deploy folder watched for tool and extension bundles
 * @param modelUrl an OpenAI-compatible server the user named, or empty
 */
public record LaunchOptions(Path workspace, String host, int port, Path dataDir, Path pluginsDir, String modelUrl) {}
