package io.boxagnts.http;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The checks every request passes before any endpoint sees it. A web page the user visits can make the browser send
 * requests to 127.0.0.1: a Host that is not one of ours means DNS rebinding (the page's own name resolved to us), and
 * an Origin that is not ours means a cross-site request. Both are refused. A request without Origin (curl, scripts)
 * passes here; authentication comes with the UI issue.
 */
final class RequestGuard {

    private final Set<String> hosts;

    /** @param extraHosts names the runtime is also reached by, besides the loopback ones (e.g. its --host) */
    RequestGuard(Set<String> extraHosts) {
        java.util.Set<String> all = new java.util.HashSet<>(Set.of("localhost", "127.0.0.1", "[::1]", "::1"));
        extraHosts.forEach(h -> all.add(h.toLowerCase(Locale.ROOT)));
        this.hosts = Set.copyOf(all);
    }

    /** @return why the request is refused, or empty when it may go on */
    Optional<String> refusal(String hostHeader, String origin) {
        if (hostHeader == null || !hosts.contains(hostName(hostHeader))) {
            return Optional.of("this server answers to its local names only (Host '" + hostHeader + "' refused)");
        }
        if (origin != null && !isOurs(origin)) {
            return Optional.of("cross-site request from '" + origin + "' refused");
        }
        return Optional.empty();
    }

    private boolean isOurs(String origin) {
        try {
            URI uri = URI.create(origin);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && hosts.contains(uri.getHost().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false; // "null" (sandboxed frames, file: pages) and garbage are not ours
        }
    }

    /** "127.0.0.1:30001" -> "127.0.0.1", "[::1]:30001" -> "[::1]". */
    static String hostName(String hostHeader) {
        String host = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }
}
