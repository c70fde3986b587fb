package io.boxagnts.api.runtime;

/**
 * The servlet context every BoxAgnts page and endpoint is served in; a bundle that adds one selects it with
 * {@code @HttpWhiteboardContextSelect(HttpContext.SELECT)}. The access checks (token, Host and Origin, security
 * headers) run before any context is chosen, for every request of the server.
 */
public final class HttpContext {

    /** The context's name. */
    public static final String NAME = "boxagnts";
    /** The whiteboard filter that selects it. */
    public static final String SELECT = "(osgi.http.whiteboard.context.name=" + NAME + ")";
    /** The JSON API lives under this prefix. */
    public static final String API_PREFIX = "/api/";
    /**
     * The web UI's static files live under this prefix (its page at {@code /}). They, and only they, are served
     * without the access token: they hold no data. Everything else on the server needs it.
     */
    public static final String UI_PREFIX = "/ui/";
    /**
     * The Apache Felix Web Console, in its own servlet context. Administration: like {@link #ADMIN_API_PREFIX}, only a
     * credential that may administer gets through the access checks.
     */
    public static final String CONSOLE_PATH = "/system/console";
    /** Administrative JSON endpoints live under this prefix; only a credential that may administer reaches them. */
    public static final String ADMIN_API_PREFIX = "/api/admin/";
    /**
     * Request attribute the access checks set on every request they let through with a credential: {@link #ROLE_ADMIN}
     * or {@link #ROLE_USER}. Absent on the public UI files, which need none. Set by the server only, never by a client.
     */
    public static final String ROLE_ATTRIBUTE = "io.boxagnts.http.role";
    /** The credential may administer: the administrator's token, or the access token when no admin token is set. */
    public static final String ROLE_ADMIN = "admin";
    /** The access token of a deployment that has a separate admin token: the UI and the API, not administration. */
    public static final String ROLE_USER = "user";

    /**
     * Request attribute the access checks set on every request they let through with a credential: the value of a
     * {@code Set-Cookie} header that ends the browser's sign-in (it expires the session cookie, whose name and
     * attributes only the checks know). A page that signs the browser out, such as the Web Console's "Log out", adds
     * it to its answer. The cookie's value is derived from the token, so this signs out one browser; a copied cookie
     * stays valid until the token is changed.
     */
    public static final String SIGN_OUT_COOKIE_ATTRIBUTE = "io.boxagnts.http.signOutCookie";

    /** Whether {@code path} (decoded and normalised, as servlets are matched) is an administrative one. */
    public static boolean isAdminPath(String path) {
        return path.equals(CONSOLE_PATH) || path.startsWith(CONSOLE_PATH + "/") || path.startsWith(ADMIN_API_PREFIX)
                || path.equals(ADMIN_API_PREFIX.substring(0, ADMIN_API_PREFIX.length() - 1));
    }

    private HttpContext() {}
}
