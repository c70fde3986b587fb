package io.boxagnts.admin;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxagnts.api.runtime.HttpContext;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serial;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API for scripts, in the shared context behind its access checks (and the administrator check for
 * {@code /api/admin/}):
 * <pre>
 * GET    /api/admin/tools                       every tool: bundle, state, declared and granted, limits, calls
 * GET    /api/admin/tools/{name}
 * POST   /api/admin/tools/{name}/enable|disable
 * PUT    /api/admin/tools/{name}/grant          {"workspace":"read"}   (none, read, write; null: as declared)
 * PUT    /api/admin/tools/{name}/limits         {"timeoutMs":2000,"maxMemoryMb":64,"maxOutputKb":256}
 *                                               (0 or null: as declared; a limit not named stays)
 * DELETE /api/admin/tools/{name}/policy         back to what the tool declares
 * PUT    /api/admin/grant                       {"workspace":"read"}   every tool at most
 * GET    /api/admin/bundles                     the plugins folder: what runs, what was refused and why
 * POST   /api/admin/bundles?file=NAME.jar       the jar as the body: written to plugins/, hot-deployed
 * DELETE /api/admin/bundles/{file}              removed from plugins/, uninstalled
 * </pre>
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(HttpContext.SELECT)
@HttpWhiteboardServletPattern({"/api/admin/tools", "/api/admin/tools/*", "/api/admin/grant", "/api/admin/bundles",
    "/api/admin/bundles/*"})
public final class AdminServlet extends HttpServlet {

    @Serial
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(AdminServlet.class);
    private static final int MAX_JSON_BYTES = 16 << 10;
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private final transient ToolAdministration admin;

    @Activate
    public AdminServlet(@Reference ToolAdministration admin) {
        this.admin = admin;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String[] parts = path.substring(1).split("/", -1); // api, admin, tools|grant|bundles, ...
        String method = request.getMethod();
        String actor = actor(request);
        try {
            JsonObject body = switch (parts.length > 2 ? parts[2] : "") {
                case "tools" -> tools(method, parts, request, actor);
                case "grant" -> route(method, "PUT", parts.length == 3,
                        () -> admin.grantAll(actor, workspace(json(request))));
                case "bundles" -> bundles(method, parts, request, response, actor);
                default -> throw notFound();
            };
            if (body != null) {
                send(response, 200, body);
            }
        } catch (AdminException e) {
            error(response, e.status(), e.kind(), e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.error("admin request {} {} failed", method, path, e);
            error(response, 500, "INTERNAL", "the action failed: " + e.getMessage());
        }
    }

    private JsonObject tools(String method, String[] parts, HttpServletRequest request, String actor)
            throws AdminException, IOException {
        if (parts.length == 3 || (parts.length == 4 && parts[3].isEmpty())) {
            return route(method, "GET", true, admin::overview);
        }
        String name = parts[3];
        if (parts.length == 4) {
            return route(method, "GET", true, () -> admin.tool(name));
        }
        if (parts.length != 5) {
            throw notFound();
        }
        return switch (parts[4]) {
            case "enable" -> route(method, "POST", true, () -> admin.setEnabled(actor, name, true));
            case "disable" -> route(method, "POST", true, () -> admin.setEnabled(actor, name, false));
            case "grant" -> route(method, "PUT", true, () -> admin.grant(actor, name, workspace(json(request))));
            case "limits" -> route(method, "PUT", true, () -> admin.limits(actor, name, limits(json(request))));
            case "policy" -> route(method, "DELETE", true, () -> admin.reset(actor, name));
            default -> throw notFound();
        };
    }

    private JsonObject bundles(String method, String[] parts, HttpServletRequest request, HttpServletResponse response,
            String actor) throws AdminException, IOException {
        if (parts.length == 3) {
            if (method.equals("POST")) {
                String file = request.getParameter("file");
                JsonObject outcome = admin.upload(actor, file, jar(request));
                send(response, outcome.get("problem").getAsString().isEmpty() ? 201 : 422, outcome);
                return null;
            }
            return route(method, "GET", true, () -> {
                JsonObject overview = admin.overview();
                JsonObject body = new JsonObject();
                body.add("refused", overview.get("refused"));
                body.add("tools", overview.get("tools"));
                return body;
            });
        }
        if (parts.length == 4 && method.equals("DELETE")) {
            admin.remove(actor, parts[3]);
            response.setStatus(204);
            return null;
        }
        throw parts.length == 4 ? new AdminException(405, "METHOD_NOT_ALLOWED", "DELETE removes a plugin")
                : notFound();
    }

    private interface Action {
        JsonObject run() throws AdminException, IOException;
    }

    private static JsonObject route(String method, String expected, boolean matches, Action action)
            throws AdminException, IOException {
        if (!matches) {
            throw notFound();
        }
        if (!method.equals(expected)) {
            throw new AdminException(405, "METHOD_NOT_ALLOWED", "this resource takes " + expected);
        }
        return action.run();
    }

    private static AdminException notFound() {
        return new AdminException(404, "NOT_FOUND", "no such admin resource; see the README's admin API");
    }

    /** Who did it, for the audit log: the administrator, as the request came. */
    private static String actor(HttpServletRequest request) {
        return "admin api (" + request.getRemoteAddr() + ")";
    }

    private static JsonObject json(HttpServletRequest request) throws AdminException, IOException {
        byte[] bytes = read(request, MAX_JSON_BYTES);
        String text = new String(bytes, StandardCharsets.UTF_8);
        try {
            JsonElement json = JsonParser.parseString(text.isBlank() ? "{}" : text);
            if (json.isJsonObject()) {
                return json.getAsJsonObject();
            }
        } catch (RuntimeException e) {
            throw AdminException.invalid("the body is not valid JSON: " + e.getMessage());
        }
        throw AdminException.invalid("the body must be a JSON object");
    }

    private static byte[] jar(HttpServletRequest request) throws AdminException, IOException {
        byte[] bytes = read(request, ToolAdministration.MAX_UPLOAD_BYTES);
        if (bytes.length == 0) {
            throw AdminException.invalid("the body must be the bundle (the jar's bytes)");
        }
        return bytes;
    }

    private static byte[] read(HttpServletRequest request, int limit) throws AdminException, IOException {
        if (request.getContentLengthLong() > limit) {
            throw new AdminException(413, "INVALID_INPUT", "the request body is larger than " + limit + " bytes");
        }
        byte[] bytes;
        try (InputStream in = request.getInputStream()) {
            bytes = in.readNBytes(limit + 1);
        }
        if (bytes.length > limit) {
            throw new AdminException(413, "INVALID_INPUT", "the request body is larger than " + limit + " bytes");
        }
        return bytes;
    }

    private static String workspace(JsonObject body) throws AdminException {
        if (!body.has("workspace")) {
            throw AdminException.invalid("the body needs \"workspace\": none, read, write, or null for as declared");
        }
        JsonElement value = body.get("workspace");
        if (value.isJsonNull()) {
            return null;
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw AdminException.invalid("\"workspace\" must be a text: none, read or write");
        }
        return value.getAsString();
    }

    private static Map<String, Long> limits(JsonObject body) throws AdminException {
        Map<String, Long> limits = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : body.entrySet()) {
            JsonElement value = entry.getValue();
            if (value.isJsonNull()) {
                limits.put(entry.getKey(), null);
            } else if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()
                    && value.getAsBigDecimal().stripTrailingZeros().scale() <= 0
                    && value.getAsBigDecimal().abs().compareTo(java.math.BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0) {
                limits.put(entry.getKey(), value.getAsLong());
            } else {
                throw AdminException.invalid("\"" + entry.getKey() + "\" must be a whole number (0 or null: as "
                        + "declared)");
            }
        }
        return limits;
    }

    private static void send(HttpServletResponse response, int status, JsonObject body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(GSON.toJson(body));
    }

    private static void error(HttpServletResponse response, int status, String kind, String message)
            throws IOException {
        JsonObject error = new JsonObject();
        error.addProperty("kind", kind);
        error.addProperty("message", message);
        JsonObject body = new JsonObject();
        body.add("error", error);
        send(response, status, body);
    }
}
