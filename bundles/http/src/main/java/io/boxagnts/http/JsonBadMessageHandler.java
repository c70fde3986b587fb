package io.boxagnts.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's answer to a request it cannot take at all, before any servlet context sees it (a malformed request line,
 * headers too large, a bad URI): the API's JSON error shape instead of Jetty's HTML page, at any time, with Jetty's
 * reason. Installed on the server by {@link ApiConnector} before the port opens; errors inside a servlet context are
 * {@link JsonErrorHandler}'s and the contexts' own.
 */
final class JsonBadMessageHandler extends ErrorHandler {

    private static final String JSON = "application/json;charset=utf-8";

    JsonBadMessageHandler() {
        setShowStacks(false);
        setShowCauses(false);
    }

    /** Every method gets the body: a client that sent a broken PUT needs the reason as much as one that sent a GET. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    private static byte[] body(int status, String reason) {
        String message = "the request was refused (HTTP " + status + (reason == null || reason.isBlank() ? ""
                : ": " + reason) + ")";
        return JsonResponses.GSON.toJson(JsonResponses.errorBody(ErrorPageServlet.kind(status), message))
                .getBytes(StandardCharsets.UTF_8);
    }
}
