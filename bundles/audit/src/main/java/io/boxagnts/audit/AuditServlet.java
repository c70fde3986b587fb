package io.boxagnts.audit;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxagnts.api.audit.AuditLog;
import io.boxagnts.api.audit.AuditQuery;
import io.boxagnts.api.runtime.HttpContext;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.nio.charset.StandardCharsets;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /api/audit?since=ISO-TIME&tool=NAME&type=tool_call|admin&limit=N}: the newest N (default 100, at most
 * 1000) matching records, oldest first, as stored. Served in the shared context, behind its access checks.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(HttpContext.SELECT)
@HttpWhiteboardServletPattern("/api/audit")
public final class AuditServlet extends HttpServlet {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient AuditLog audit;

    @Activate
    public AuditServlet(@Reference AuditLog audit) {
        this.audit = audit;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        AuditQuery query;
        try {
            query = query(request);
        } catch (IllegalArgumentException e) {
            error(response, 400, e.getMessage());
            return;
        }
        JsonArray records = new JsonArray();
        for (String line : audit.find(query)) {
            records.add(JsonParser.parseString(line));
        }
        JsonObject body = new JsonObject();
        body.add("records", records);
        send(response, 200, body);
    }

    static AuditQuery query(HttpServletRequest request) {
        return AuditQuery.parse(request.getParameter("since"), request.getParameter("tool"),
                request.getParameter("type"), request.getParameter("limit"));
    }

    private static void error(HttpServletResponse response, int status, String message) throws IOException {
        JsonObject error = new JsonObject();
        error.addProperty("kind", "INVALID_INPUT");
        error.addProperty("message", message);
        JsonObject body = new JsonObject();
        body.add("error", error);
        send(response, status, body);
    }

    private static void send(HttpServletResponse response, int status, JsonObject body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(AuditChain.gson().toJson(body));
    }
}
