package io.boxagnts.http;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.ee10.servlet.ErrorHandler;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

/**
 * Jetty's own error answer for Felix HTTP's servlet context, in the API's JSON shape instead of Jetty's HTML page.
 * It answers what no whiteboard error page can: a request that arrives after the port opened but before Felix HTTP
 * handed the context to the whiteboard (its dispatcher then answers 404 for everything: 503 {@code STARTING} here,
 * as {@link ErrorPageServlet} says later for an endpoint not registered yet), and an error in a context that has no
 * error page of its own. Installed by {@link ApiConnector} before the port opens.
 */
final class JsonErrorHandler extends ErrorHandler {

    private final BooleanSupplier starting;

    /** @param starting whether the framework is still starting */
    JsonErrorHandler(BooleanSupplier starting) {
        this.starting = starting;
        setShowStacks(false);
        setShowServlet(false);
    }

    /** Every method gets the JSON body, not only GET, POST and HEAD (Jetty sends other methods a bare status). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateAcceptableResponse(ServletContextRequest baseRequest, HttpServletRequest request,
            HttpServletResponse response, int code, String message) throws IOException {
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        // The access checks that add it to every other answer are not registered yet while the server starts.
        response.setHeader("X-Content-Type-Options", "nosniff");
        ErrorPageServlet.answer(request, response, code, uri != null ? uri : request.getRequestURI(),
                starting.getAsBoolean());
    }
}
