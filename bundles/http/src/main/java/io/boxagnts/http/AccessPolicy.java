package io.boxagnts.http;

import io.boxagnts.api.runtime.HttpContext;
import java.net.URI;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Who may use this runtime, decided for every request before any endpoint sees it. Any web page the user visits can
 * make the browser send requests to 127.0.0.1, so:
 * <ul>
 * <li>a Host that is not one of ours means DNS rebinding (the page's own name resolved to us): 403;</li>
 * <li>an Origin other than exactly ours (scheme, name and port: another local web app is not us) is cross-site: 403;</li>
 * <li>everything but the static UI ({@code /} and {@code /ui/...}) needs the access token, as
 * {@code Authorization: Bearer} or as the browser cookie it was exchanged for: 401 otherwise. Closed by default, so
 * that an endpoint added later is protected without knowing it;</li>
 * <li>a browser cookie rides along with requests the user never meant, so a cookie-authenticated request that changes
 * state or opens an event stream must also show our Origin: a missing one is refused, not waved through.</li>
 * </ul>
 * The static UI is public (it holds no data); {@code GET /any/page?token=...} (but not {@code /api/}, whose URLs end
 * up in logs) exchanges the token for the cookie.
 */
final class AccessPolicy {

    /**
     * What the request carries that matters here; null for absent headers. {@code path} is decoded and normalised
     * (what servlets are matched against), {@code rawPath} as sent.
     */
    record Incoming(String method, String path, String rawPath, String queryToken, String host, String origin, String fetchSite,
            String authorization, String cookie, String accept, long contentLength) {}

    /** What to do with the request. */
    sealed interface Verdict {}

    /** Serve it. */
    record Pass() implements Verdict {}

    /** Answer with this error and nothing else. */
    record Refuse(int status, String kind, String message) implements Verdict {}

    /** A valid token in the page URL: set the cookie and send the browser to the URL without it. */
    record GrantCookie(String location) implements Verdict {}

    /** The largest body any endpoint takes (a 1 MiB tool input plus its JSON); endpoints check their own limits too. */
    static final long MAX_BODY_BYTES = (1 << 20) + 8192;

    private final Set<String> hosts;
    private final AccessToken token;

    /** @param extraHosts names the runtime is also reached by, besides the loopback ones (its --host, proxies) */
    AccessPolicy(Set<String> extraHosts, AccessToken token) {
        Set<String> all = new HashSet<>(Set.of("localhost", "127.0.0.1", "[::1]"));
        extraHosts.forEach(h -> all.add(bracketed(h.toLowerCase(Locale.ROOT))));
        this.hosts = Set.copyOf(all);
        this.token = token;
    }

    Verdict check(Incoming in) {
        if (in.host() == null || !hosts.contains(hostName(in.host()))) {
            return new Refuse(403, "FORBIDDEN",
                    "this server answers to its local names only (Host '" + in.host() + "' refused)");
        }
        if (in.origin() != null && !isOurs(in.origin(), in.host())) {
            return new Refuse(403, "FORBIDDEN", "cross-site request from '" + in.origin() + "' refused");
        }
        if (in.contentLength() > MAX_BODY_BYTES) {
            return new Refuse(413, "INVALID_INPUT", "the request body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        boolean api = in.path().startsWith(HttpContext.API_PREFIX);
        if (in.queryToken() != null && !api) {
            return exchange(in);
        }
        if (isPublic(in)) {
            return new Pass();
        }
        if (in.authorization() != null) {
            return token.matchesHeader(in.authorization()) ? new Pass()
                    : new Refuse(401, "UNAUTHORIZED", "the access token is wrong; it is in the data directory's "
                            + "access-token file");
        }
        if (in.cookie() != null && token.matchesCookie(in.cookie())) {
            return cookieRequest(in);
        }
        return new Refuse(401, "UNAUTHORIZED", in.cookie() == null
                ? "this needs the access token: open the URL BoxAgnts printed at start, or send "
                        + "'Authorization: Bearer <token>' (the token is in the data directory's access-token file)"
                : "the session cookie is no longer valid (the access token changed); open the URL BoxAgnts printed "
                        + "at start");
    }

    /**
     * The UI's files: read-only requests for {@code /} or below {@code /ui/}, sent plainly (no escapes, no dot
     * segments), so that no spelling of another path can pass for one of them.
     */
    static boolean isPublic(Incoming in) {
        boolean read = in.method().equals("GET") || in.method().equals("HEAD");
        boolean ui = in.path().equals("/") || in.path().startsWith(HttpContext.UI_PREFIX);
        return read && ui && in.path().equals(in.rawPath()) && !in.path().contains("/.") && !in.path().contains("//");
    }

    private Verdict exchange(Incoming in) {
        if (!"GET".equals(in.method()) || !token.matches(in.queryToken())) {
            return new Refuse(401, "UNAUTHORIZED", "the token in this link is wrong; use the URL BoxAgnts printed "
                    + "at start");
        }
        return new GrantCookie(in.rawPath()); // as sent: still percent-encoded, so no line break can reach a header
    }

    /** The browser sent the cookie by itself: make sure our own page asked for this. */
    private Verdict cookieRequest(Incoming in) {
        if (in.fetchSite() != null && !in.fetchSite().equals("same-origin") && !in.fetchSite().equals("none")) {
            return new Refuse(403, "FORBIDDEN", "a " + in.fetchSite() + " request cannot use this session's cookie");
        }
        boolean safe = in.method().equals("GET") || in.method().equals("HEAD");
        boolean stream = in.accept() != null && in.accept().contains("text/event-stream");
        if ((!safe || stream) && in.origin() == null) {
            return new Refuse(403, "FORBIDDEN", "a browser request that changes state must carry its Origin; "
                    + "scripts use 'Authorization: Bearer <token>' instead of the cookie");
        }
        return new Pass();
    }

    /** Same origin as the Host the request was sent to: scheme http(s), same name, same port. */
    private boolean isOurs(String origin, String hostHeader) {
        try {
            URI uri = URI.create(origin);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                return false;
            }
            String authority = uri.getRawAuthority().toLowerCase(Locale.ROOT);
            return authority.equals(hostHeader.trim().toLowerCase(Locale.ROOT)) && hosts.contains(hostName(authority));
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

    private static String bracketed(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
