package io.boxagnts.api.tool;

/**
 * What a tool may ask of the network. A sandboxed tool has no sockets; the one way out is the host's web fetch
 * ({@code io.boxagnts.api.web}), whose policy an administrator sets and which is off by default.
 */
public enum NetworkAccess {
    /** No network at all (every core tool but web_fetch). */
    NONE,
    /** Web pages through the host's web fetch, under its policy: useful only while that policy allows a host. */
    FETCH
}
