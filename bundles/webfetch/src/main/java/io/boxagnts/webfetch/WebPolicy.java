package io.boxagnts.webfetch;

import io.boxagnts.api.web.WebFetchException;
import io.boxagnts.api.web.WebFetchException.Kind;
import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the administrator allows, read from the configuration: whether fetching is on, the exact hosts, plain http,
 * and the limits. {@link #check(String)} judges a URL (the first one and every redirect) before anything is resolved.
 *
 * @param loopbackHosts names that tests let resolve to a loopback address ({@link WebFetchService#TEST_LOOPBACK_HOSTS});
 *     empty in production
 */
record WebPolicy(boolean enabled, Set<String> allowedHosts, boolean allowHttp, long maxBytes, Duration timeout,
        int maxRedirects, Set<String> loopbackHosts) {

    static final String PID = "io.boxagnts.webfetch";

    /** A URL the policy lets through, as it will be fetched. */
    record Target(URI uri, String host, int port, boolean tls) {

        /** The path and query to request. */
        String requestTarget() {
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        }

        /** The Host header: the name, with the port when it is not the scheme's default. */
        String hostHeader() {
            String name = host.contains(":") ? "[" + host + "]" : host;
            return port == (tls ? 443 : 80) ? name : name + ":" + port;
        }
    }

    static WebPolicy of(WebFetchService.Config config, Set<String> loopbackHosts) {
        return new WebPolicy(config.enabled(), hosts(config.allowedHosts()), config.allowHttp(),
                Math.max(1, config.maxKb()) << 10, Duration.ofMillis(Math.max(1, config.timeoutMs())),
                Math.max(0, config.maxRedirects()), loopbackHosts);
    }

    /** Host names as compared: lower case, ASCII (IDN), no trailing dot, IPv6 literals without brackets. */
    static Set<String> hosts(String[] names) {
        return names == null ? Set.of() : Arrays.stream(names).filter(n -> n != null && !n.isBlank())
                .flatMap(n -> Arrays.stream(n.split("[,\\s]+"))).filter(n -> !n.isBlank())
                .map(WebPolicy::canonicalHost).collect(Collectors.toUnmodifiableSet());
    }

    static String canonicalHost(String host) {
        String name = host.strip().toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        while (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (!name.contains(":")) {
            try {
                name = IDN.toASCII(name, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException e) {
                // left as it is: it will not match a listed host
            }
        }
        return name;
    }

    /** The URL as it may be logged: user information (credentials) replaced by {@code ***}. */
    static String withoutCredentials(String url) {
        return url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#@]*@", "$1***@");
    }

    /** Whether the administrator has turned fetching on; the reason to show when not. */
    void checkEnabled() throws WebFetchException {
        if (!enabled) {
            throw new WebFetchException(Kind.DISABLED, "web fetching is off: an administrator turns it on and lists "
                    + "the hosts it may reach (configuration " + PID + ": enabled, allowedHosts)");
        }
        if (allowedHosts.isEmpty()) {
            throw new WebFetchException(Kind.DISABLED, "web fetching is on but no host is allowed: an administrator "
                    + "lists them in " + PID + " allowedHosts");
        }
    }

    /**
     * @param url the URL as given (or a redirect's target, already absolute)
     * @param redirect whether this is the target of a redirect (for the message)
     */
    Target check(String url, boolean redirect) throws WebFetchException {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new WebFetchException(Kind.INVALID_URL, "not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new WebFetchException(Kind.INVALID_URL, (redirect ? "a redirect to " : "") + "'" + url
                    + "' is not an absolute http or https URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw new WebFetchException(Kind.REFUSED, "the URL carries credentials (user:password@); web_fetch never "
                    + "sends credentials");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new WebFetchException(Kind.INVALID_URL, "'" + url + "' names no host");
        }
        String host = canonicalHost(uri.getHost());
        if (!allowedHosts.contains(host)) {
            throw new WebFetchException(Kind.REFUSED, (redirect ? "redirected to " + host + ", which is" : host + " is")
                    + " not on the web allowlist (" + PID + " allowedHosts: " + String.join(", ",
                    allowedHosts.stream().sorted().toList()) + ")");
        }
        boolean tls = scheme.equals("https");
        if (!tls && !allowHttp) {
            throw new WebFetchException(Kind.REFUSED, (redirect ? "redirected to plain http: " : "plain http: ") + url
                    + "; only https is allowed (" + PID + " allowHttp)");
        }
        int port = uri.getPort() == -1 ? (tls ? 443 : 80) : uri.getPort();
        return new Target(uri, host, port, tls);
    }
}
