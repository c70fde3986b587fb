package io.boxagnts.http;

import io.boxagnts.api.runtime.HttpContext;
import java.net.URI;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiPredicate;

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
 * <p>
 * Administration ({@link HttpContext#isAdminPath}: the Web Console, {@code /api/admin/}) needs a credential that may
 * administer: the access token, unless the deployment set a separate admin token, which then alone may (403 for the
 * access token). Every request let through carries its role ({@link Pass#role()}).
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

    /**
     * Serve it.
     *
     * @param role {@link HttpContext#ROLE_ADMIN} or {@link HttpContext#ROLE_USER}; null for the public UI files
     */
    record Pass(String role) implements Verdict {}

    /**
     * Answer with this error and nothing else.
     *
     * @param signInFailure whether a credential was presented and refused (a wrong token, a stale cookie, the access
     *     token at an administrative path): worth an audit record, unlike a request that simply brought none
     */
    record Refuse(int status, String kind, String message, boolean signInFailure) implements Verdict {

        Refuse(int status, String kind, String message) {
            this(status, kind, message, false);
        }
    }

    /** A valid token in the page URL: set the cookie for {@code token} and send the browser to the URL without it. */
    record GrantCookie(String location, AccessToken token) implements Verdict {}

    /** The largest body any endpoint takes (a 1 MiB tool input plus its JSON); endpoints check their own limits too. */
    static final long MAX_BODY_BYTES = (1 << 20) + 8192;

    private final Set<String> hosts;
    private final AccessToken token;
    private final AccessToken adminToken;

    /** No separate admin token: the access token may administer. */
    AccessPolicy(Set<String> extraHosts, AccessToken token) {
        this(extraHosts, token, null);
    }

    /**
     * @param extraHosts names the runtime is also reached by, besides the loopback ones (its --host, proxies)
     * @param adminToken the administrator's token, or null when the access token may administer
     */
    AccessPolicy(Set<String> extraHosts, AccessToken token, AccessToken adminToken) {
        Set<String> all = new HashSet<>(Set.of("localhost", "127.0.0.1", "[::1]"));
        extraHosts.forEach(h -> all.add(bracketed(h.toLowerCase(Locale.ROOT))));
        this.hosts = Set.copyOf(all);
        this.token = token;
        this.adminToken = adminToken;
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
            return new Pass(null);
        }
        if (in.authorization() != null) {
            String role = roleOf(in.authorization(), AccessToken::matchesHeader);
            return role == null ? new Refuse(401, "UNAUTHORIZED", "the access token is wrong; it is in the data "
                    + "directory's access-token file", true) : admit(in, role);
        }
        String role = in.cookie() == null ? null : roleOf(in.cookie(), AccessToken::matchesCookie);
        if (role != null) {
            Verdict verdict = cookieRequest(in);
            return verdict instanceof Refuse ? verdict : admit(in, role);
        }
        return in.cookie() == null
                ? new Refuse(401, "UNAUTHORIZED", "this needs the access token: open the URL BoxAgnts printed at start, "
                        + "or send 'Authorization: Bearer <token>' (the token is in the data directory's access-token "
                        + "file)")
                : new Refuse(401, "UNAUTHORIZED", "the session cookie is no longer valid (the access token changed); "
                        + "open the URL BoxAgnts printed at start", true);
    }

    /** The role of a credential: admin for the admin token, or for the access token when there is none; else user. */
    private String roleOf(String credential, BiPredicate<AccessToken, String> matches) {
        if (adminToken != null && matches.test(adminToken, credential)) {
            return HttpContext.ROLE_ADMIN;
        }
        if (matches.test(token, credential)) {
            return adminToken == null ? HttpContext.ROLE_ADMIN : HttpContext.ROLE_USER;
        }
        return null;
    }

    /** A valid credential: let it through, unless it is the plain access token at an administrative path. */
    private static Verdict admit(Incoming in, String role) {
        if (HttpContext.ROLE_USER.equals(role) && HttpContext.isAdminPath(in.path())) {
            return new Refuse(403, "FORBIDDEN", "administration needs the administrator's token (the file named by "
                    + "--admin-token-file); the access token may use the UI and the API only", true);
        }
        return new Pass(role);
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
        AccessToken matching = adminToken != null && adminToken.matches(in.queryToken()) ? adminToken
                : token.matches(in.queryToken()) ? token : null;
        if (!"GET".equals(in.method()) || matching == null) {
            return new Refuse(401, "UNAUTHORIZED", "the token in this link is wrong; use the URL BoxAgnts printed "
                    + "at start", true);
        }
        // the location as sent: still percent-encoded, so no line break can reach a header
        return new GrantCookie(in.rawPath(), matching);
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
        return new Pass(null);
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
