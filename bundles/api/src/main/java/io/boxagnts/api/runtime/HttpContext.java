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

    private HttpContext() {}
}
