package io.boxagnts.http;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.ee10.servlet.ErrorHandler;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

/**
 * Jetty's own error answer for Felix HTTP's servlet context while the framework starts: the API's JSON shape instead
 * of Jetty's HTML page. In that time a request can arrive after the port opened but before Felix HTTP handed its
 * context to the whiteboard, and its dispatcher answers 404 to everything: here that is 503 {@code STARTING}, as
 * {@link ErrorPageServlet} says later for an endpoint not registered yet. Once the framework has started, every
 * request reaches a whiteboard context, and errors are left to Jetty as before: ours has its JSON error page, and the
 * Web Console's HTML pages keep Jetty's HTML answer, which carries the console's reason for a refusal. Installed by
 * {@link ApiConnector} before the port opens.
 */
final class JsonErrorHandler extends ErrorHandler {

    private final BooleanSupplier starting;

    /** @param starting whether the framework is still starting */
    JsonErrorHandler(BooleanSupplier starting) {
        this.starting = starting;
        setShowStacks(false);
        setShowServlet(false);
    }

    /** While starting, every method gets the JSON body (Jetty sends all but GET, POST and HEAD a bare status). */
    @Override
    public boolean errorPageForMethod(String method) {
        return starting.getAsBoolean() || super.errorPageForMethod(method);
    }

    @Override
    protected void generateAcceptableResponse(ServletContextRequest baseRequest, HttpServletRequest request,
            HttpServletResponse response, int code, String message) throws IOException {
        if (!starting.getAsBoolean()) {
            super.generateAcceptableResponse(baseRequest, request, response, code, message);
            return;
        }
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        // The access checks that add it to every other answer are not registered yet while the server starts.
        response.setHeader("X-Content-Type-Options", "nosniff");
        ErrorPageServlet.answer(request, response, code, uri != null ? uri : request.getRequestURI(), true);
    }
}
