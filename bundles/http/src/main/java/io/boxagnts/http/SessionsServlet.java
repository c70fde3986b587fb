package io.boxagnts.http;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.boxagnts.api.agent.AgentEvent;
import io.boxagnts.api.agent.AgentService;
import io.boxagnts.api.agent.ModelUnavailableException;
import io.boxagnts.api.agent.TurnRequest;
import io.boxagnts.api.runtime.HttpContext;
import io.boxagnts.api.session.SessionInfo;
import io.boxagnts.api.session.SessionStore;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serial;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * Sessions and turns over HTTP. {@code POST /api/sessions/{id}/messages} answers with the turn as Server-Sent Events
 * (one event per agent event, named by its type, ending with {@code TurnFinished}); approvals and cancellation come
 * in as separate requests while the stream runs. A turn does not depend on its stream: it runs to its end when the
 * client goes away, and every event is in the session's log.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(HttpContext.SELECT)
@HttpWhiteboardServletPattern({"/api/sessions", "/api/sessions/*"})
public final class SessionsServlet extends HttpServlet {

    @Serial
    private static final long serialVersionUID = 1L;
    private static final int MAX_BODY_BYTES = 256 << 10;
    /** Marks the end of a turn's event queue. */
    private static final AgentEvent END = new AgentEvent.Error("", java.time.Instant.EPOCH, "end");

    private final transient SessionStore sessions;
    private final transient AgentService agent;

    @Activate
    public SessionsServlet(@Reference SessionStore sessions, @Reference AgentService agent) {
        this.sessions = sessions;
        this.agent = agent;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String[] path = Requests.path(request);
        try {
            if (path.length == 0) {
                JsonObject body = new JsonObject();
                body.add("sessions", JsonResponses.GSON.toJsonTree(sessions.list()));
                JsonResponses.send(response, 200, body);
            } else if (path.length == 2 && path[1].equals("export")) {
                export(path[0], Requests.query(request.getQueryString(), "format"), response);
            } else if (path.length == 1) {
                SessionInfo info = sessions.info(path[0]).orElse(null);
                if (info == null) {
                    notFound(response, path[0]);
                    return;
                }
                JsonArray events = new JsonArray();
                sessions.events(path[0]).forEach(e -> events.add(AgentEventJson.of(e)));
                JsonObject body = new JsonObject();
                body.add("session", JsonResponses.GSON.toJsonTree(info));
                body.add("events", events);
                JsonResponses.send(response, 200, body);
            } else {
                JsonResponses.error(response, 404, "NOT_FOUND", "no such resource under /api/sessions");
            }
        } catch (IllegalArgumentException e) {
            JsonResponses.error(response, 400, "INVALID_INPUT", e.getMessage());
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String[] path = Requests.path(request);
        JsonObject body = Requests.jsonObject(request, response, MAX_BODY_BYTES);
        if (body == null) {
            return;
        }
        try {
            if (path.length == 0) {
                String title = Requests.string(body, "title");
                JsonResponses.send(response, 201, sessions.create(title.isBlank() ? "New session" : title));
            } else if (path.length == 2 && path[1].equals("messages")) {
                turn(path[0], body, response);
            } else if (path.length == 2 && path[1].equals("cancel")) {
                JsonObject answer = new JsonObject();
                answer.addProperty("cancelled", agent.cancel(path[0]));
                JsonResponses.send(response, 200, answer);
            } else if (path.length == 3 && path[1].equals("approvals")) {
                if (!body.has("approved")) {
                    JsonResponses.error(response, 400, "INVALID_INPUT", "the body needs {\"approved\": true|false}");
                    return;
                }
                boolean answered = agent.answer(path[0], path[2], Requests.bool(body, "approved", false),
                        Requests.bool(body, "forSession", false));
                if (!answered) {
                    JsonResponses.error(response, 404, "NOT_FOUND", "no approval request " + path[2] + " is waiting");
                    return;
                }
                JsonObject answer = new JsonObject();
                answer.addProperty("answered", true);
                JsonResponses.send(response, 200, answer);
            } else if (path.length == 2 && path[1].equals("rename") && !Requests.string(body, "title").isBlank()) {
                sessions.rename(path[0], Requests.string(body, "title"));
                JsonResponses.send(response, 200, sessions.info(path[0]).orElseThrow());
            } else {
                JsonResponses.error(response, 404, "NOT_FOUND", "no such resource under /api/sessions");
            }
        } catch (NoSuchFileException e) {
            notFound(response, path.length > 0 ? path[0] : "");
        } catch (IllegalArgumentException e) {
            JsonResponses.error(response, 400, "INVALID_INPUT", e.getMessage());
        } catch (IllegalStateException e) {
            JsonResponses.error(response, 409, "CONFLICT", e.getMessage());
        }
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String[] path = Requests.path(request);
        try {
            if (path.length != 1 || !sessions.delete(path[0])) {
                notFound(response, path.length > 0 ? path[0] : "");
                return;
            }
            response.setStatus(204);
        } catch (IllegalArgumentException e) {
            JsonResponses.error(response, 400, "INVALID_INPUT", e.getMessage());
        }
    }

    /** Runs the turn on its own virtual thread (cancelling it must not interrupt Jetty's) and streams its events. */
    private void turn(String sessionId, JsonObject body, HttpServletResponse response) throws IOException {
        if (sessions.info(sessionId).isEmpty()) {
            notFound(response, sessionId);
            return;
        }
        if (Requests.string(body, "text").isBlank()) {
            JsonResponses.error(response, 400, "INVALID_INPUT", "the body needs {\"text\": \"...\"}");
            return;
        }
        TurnRequest turn = new TurnRequest(Requests.string(body, "text"), Requests.string(body, "provider"),
                Requests.string(body, "model"), Requests.string(body, "mode"), names(body, "allow"), names(body, "deny"));
        BlockingQueue<AgentEvent> events = new LinkedBlockingQueue<>();
        String[] failure = new String[1];
        int[] status = {200};
        Thread runner = Thread.ofVirtual().name("boxagnts-turn-" + sessionId).start(() -> {
            try {
                agent.run(sessionId, turn, events::add);
            } catch (ModelUnavailableException e) {
                failure[0] = e.getMessage();
                status[0] = 503;
            } catch (IllegalArgumentException e) {
                failure[0] = e.getMessage();
                status[0] = 400;
            } catch (IllegalStateException e) {
                failure[0] = e.getMessage();
                status[0] = 409;
            } catch (IOException | RuntimeException e) {
                failure[0] = "the turn failed: " + e;
                status[0] = 500;
            } finally {
                events.add(END);
            }
        });
        AgentEvent first = take(events, runner);
        if (first == END && failure[0] != null) {
            JsonResponses.error(response, status[0], switch (status[0]) {
                case 409 -> "CONFLICT";
                case 400 -> "INVALID_INPUT";
                case 503 -> "MODEL_UNAVAILABLE"; // an outage, not bad input: the same request works once a server is up
                default -> "INTERNAL";
            }, failure[0]);
            return;
        }
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        PrintWriter out = response.getWriter();
        for (AgentEvent event = first; event != END; event = take(events, runner)) {
            out.write("event: " + event.getClass().getSimpleName() + "\ndata: "
                    + JsonResponses.GSON.toJson(AgentEventJson.of(event)) + "\n\n");
            out.flush();
            if (out.checkError()) {
                // The client went away (a reload, a closed laptop lid): the turn goes on and is logged; the UI
                // follows it from the log, and POST .../cancel stops it. Losing a half-done task to a reload is worse
                // than a few more model tokens.
                return;
            }
        }
    }

    /** {@code GET /api/sessions/{id}/export?format=md|json}: the whole session to keep or share. */
    private void export(String id, String format, HttpServletResponse response) throws IOException {
        SessionInfo info = sessions.info(id).orElse(null);
        if (info == null) {
            notFound(response, id);
            return;
        }
        if (format == null || format.equals("json")) {
            JsonArray events = new JsonArray();
            sessions.events(id).forEach(e -> events.add(AgentEventJson.of(e)));
            JsonObject body = new JsonObject();
            body.add("session", JsonResponses.GSON.toJsonTree(info));
            body.add("events", events);
            response.setHeader("Content-Disposition", "attachment; filename=\"" + id + ".json\"");
            JsonResponses.send(response, 200, body);
        } else if (format.equals("md")) {
            response.setStatus(200);
            response.setContentType("text/markdown");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setHeader("Content-Disposition", "attachment; filename=\"" + id + ".md\"");
            response.getWriter().write(SessionMarkdown.of(info, sessions.events(id)));
        } else {
            JsonResponses.error(response, 400, "INVALID_INPUT", "format must be md or json");
        }
    }

    private static AgentEvent take(BlockingQueue<AgentEvent> events, Thread runner) throws IOException {
        try {
            return events.take();
        } catch (InterruptedException e) {
            runner.interrupt();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while streaming the turn", e);
        }
    }

    /** A list of tool names, e.g. {@code "deny": ["write_file"]}. */
    private static java.util.List<String> names(JsonObject body, String field) {
        if (!body.has(field) || !body.get(field).isJsonArray()) {
            return java.util.List.of();
        }
        return body.getAsJsonArray(field).asList().stream().filter(JsonElement::isJsonPrimitive)
                .map(JsonElement::getAsString).toList();
    }


    private static void notFound(HttpServletResponse response, String id) throws IOException {
        JsonResponses.error(response, 404, "NOT_FOUND", "no session '" + id + "'");
    }
}
