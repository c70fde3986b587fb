package io.boxagnts.api.runtime;

/**
 * The servlet context every BoxAgnts page and endpoint is served in. Its security handling (access token, Host and
 * Origin checks, security headers) applies to whatever selects it, so a bundle that adds an endpoint or page selects
 * it with {@code @HttpWhiteboardContextSelect(HttpContext.SELECT)} and gets those checks for free.
 */
public final class HttpContext {

    /** The context's name. */
    public static final String NAME = "boxagnts";
    /** The whiteboard filter that selects it. */
    public static final String SELECT = "(osgi.http.whiteboard.context.name=" + NAME + ")";
    /** Paths under this prefix need the access token; everything else (the static UI) is public. */
    public static final String API_PREFIX = "/api/";

    private HttpContext() {}
}
