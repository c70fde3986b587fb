package io.boxagnts.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API's connector on a real Jetty server built the way Felix HTTP builds its own: one servlet context whose
 * dispatcher answers 404 to everything until the whiteboard is there, and Felix's own connector already open.
 */
class ApiConnectorTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final AtomicBoolean starting = new AtomicBoolean(true);
    private Server server;
    private ServerConnector felixOwn;
    private int port;

    /** What Felix's dispatcher does: 404 before the whiteboard is there; afterwards its servlets answer. */
    private static final class Dispatcher extends HttpServlet {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (request.getRequestURI().equals("/boom")) {
                throw new IllegalStateException("secret detail at io.boxagnts.Internal");
            }
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
        }
    }

    @BeforeEach
    void startServerAsFelixDoes() throws Exception {
        server = new Server();
        ServletContextHandler context = new ServletContextHandler("/", ServletContextHandler.SESSIONS);
        context.addServlet(new ServletHolder(new Dispatcher()), "/*");
        server.setHandler(context);
        server.start();
        felixOwn = new ServerConnector(server);
        felixOwn.setHost("127.0.0.1");
        felixOwn.setPort(0);
        server.addConnector(felixOwn);
        felixOwn.start();
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    /** What Felix's ConnectorFactoryTracker does with the connector: add it, start it. */
    private ServerConnector addOurs() throws Exception {
        ServerConnector ours = ApiConnector.open(server, "127.0.0.1", port, starting::get);
        server.addConnector(ours);
        ours.start();
        return ours;
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject error(HttpResponse<String> response) {
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                response.headers() + " " + response.body());
        return JsonParser.parseString(response.body()).getAsJsonObject().getAsJsonObject("error");
    }

    @Test
    void whileTheFrameworkStartsEveryMethodGets503StartingInJson() throws Exception {
        addOurs();
        for (String method : new String[] {"GET", "POST", "PUT", "DELETE", "OPTIONS"}) {
            HttpResponse<String> response = send(method, "/api/health");
            assertEquals(503, response.statusCode(), method);
            assertEquals("STARTING", error(response).get("kind").getAsString(), method);
            assertEquals("BoxAgnts is starting; /api/health will answer in a moment",
                    error(response).get("message").getAsString());
            assertEquals("1", response.headers().firstValue("Retry-After").orElse(""));
            assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(""));
            assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
            assertFalse(response.headers().firstValue("Server").isPresent(), "no Server header");
            assertFalse(response.headers().firstValue("X-Powered-By").isPresent(), "no X-Powered-By header");
        }
    }

    @Test
    void whileStartingAnExceptionIsInternalWithoutItsDetails() throws Exception {
        addOurs();
        HttpResponse<String> boom = send("GET", "/boom");
        assertEquals(500, boom.statusCode());
        assertEquals("INTERNAL", error(boom).get("kind").getAsString());
        assertEquals("the server failed on GET /boom; the log has the details", error(boom).get("message").getAsString());
    }

    /** Then every request reaches a whiteboard context: ours answers JSON itself, the Web Console's keep Jetty's page. */
    @Test
    void onceStartedErrorsAreJettysAsBefore() throws Exception {
        addOurs();
        starting.set(false);
        HttpResponse<String> missing = send("GET", "/system/console/nothing");
        assertEquals(404, missing.statusCode());
        assertTrue(missing.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), missing.body());
        assertEquals(404, send("PUT", "/system/console/nothing").statusCode());
    }

    /** What came back on a raw connection: the status line, the headers, the body. */
    private String raw(String request) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static JsonObject rawError(String answer, int status) {
        assertTrue(answer.startsWith("HTTP/1.1 " + status + " "), answer);
        String headers = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);
        assertTrue(headers.contains("content-type: application/json"), answer);
        assertTrue(headers.contains("x-content-type-options: nosniff"), answer);
        return JsonParser.parseString(answer.substring(answer.indexOf("\r\n\r\n") + 4)).getAsJsonObject()
                .getAsJsonObject("error");
    }

    /** Requests Jetty cannot parse never reach a servlet context; their answer is JSON too, started or not. */
    @Test
    void aRequestJettyCannotParseIsAnsweredInJson() throws Exception {
        addOurs();
        starting.set(false);
        JsonObject garbage = rawError(raw("GARBAGE\r\n\r\n"), 400);
        assertEquals("INVALID_INPUT", garbage.get("kind").getAsString());
        assertTrue(garbage.get("message").getAsString().startsWith("the request was refused (HTTP 400"),
                garbage.toString());
        JsonObject tooLarge = rawError(raw("GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(40_000)
                + "\r\nConnection: close\r\n\r\n"), 431);
        assertEquals("INVALID_INPUT", tooLarge.get("kind").getAsString());
    }

    @Test
    void felixsOwnConnectorIsClosedAndOnlyTheUsersAddressIsServed() throws Exception {
        int throwaway = felixOwn.getLocalPort();
        ServerConnector ours = addOurs();
        assertArrayEquals(new Connector[] {ours}, server.getConnectors());
        assertTrue(felixOwn.isStopped());
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), throwaway).close());
        assertEquals(port, ours.getLocalPort());
        assertEquals(503, send("GET", "/").statusCode());
    }

    @Test
    void anAddressTakenMeanwhileFailsBeforeAnythingIsServed() throws Exception {
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(port, taken.getLocalPort());
            IOException refused = assertThrows(IOException.class,
                    () -> ApiConnector.open(server, "127.0.0.1", port, starting::get));
            assertTrue(refused instanceof BindException || refused.getCause() instanceof BindException,
                    refused.toString());
        }
        assertEquals(0, server.getConnectors().length, "no connector left: Felix HTTP registers nothing then");
    }
}
