package io.boxagnts.http;

import io.boxagnts.api.runtime.HttpContext;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletErrorPage;

/**
 * Errors that no endpoint answered itself (an unsupported method, an exception that escaped) in the API's own
 * format, {@code {"error":{kind,message}}}, instead of the container's HTML page; without a stack trace. While the
 * framework is still starting, a path nothing serves yet is 503 {@code STARTING}, not 404.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(HttpContext.SELECT)
@HttpWhiteboardServletErrorPage(errorPage = {"4xx", "5xx", "java.lang.Throwable"})
public final class ErrorPageServlet extends HttpServlet {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient BundleContext context;

    @Activate
    public ErrorPageServlet(BundleContext context) {
        this.context = context;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        answer(request, response, code instanceof Integer value ? value : 500,
                request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI), !HealthProbe.frameworkStarted(context));
    }

    /**
     * The JSON answer for an error {@code status} of the request to {@code uri}; shared with {@link JsonErrorHandler},
     * which answers the same way before this servlet is registered.
     *
     * @param starting whether the framework is still starting: a 404 then means "not registered yet"
     */
    static void answer(HttpServletRequest request, HttpServletResponse response, int status, Object uri,
            boolean starting) throws IOException {
        if (status == HttpServletResponse.SC_NOT_FOUND && starting) {
            // Its endpoint may simply not be registered yet: say so, and when to come back, instead of "not found".
            response.setHeader("Retry-After", "1");
            JsonResponses.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, STARTING,
                    "BoxAgnts is starting; " + uri + " will answer in a moment");
            return;
        }
        JsonResponses.error(response, status, kind(status), message(status, request.getMethod(), uri));
    }

    static final String STARTING = "STARTING";

    static String kind(int status) {
        return switch (status) {
            case 400, 413, 414, 415, 431 -> "INVALID_INPUT";
            case 401 -> "UNAUTHORIZED";
            case 403 -> "FORBIDDEN";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            default -> status >= 500 ? "INTERNAL" : "INVALID_INPUT";
        };
    }

    private static String message(int status, String method, Object uri) {
        return switch (status) {
            case 404 -> "nothing is served at " + uri;
            case 405 -> method + " is not supported by " + uri;
            default -> status >= 500 ? "the server failed on " + method + " " + uri + "; the log has the details"
                    : "the request to " + uri + " was refused (HTTP " + status + ")";
        };
    }
}
