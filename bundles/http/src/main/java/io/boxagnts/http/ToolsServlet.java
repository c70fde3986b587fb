package io.boxagnts.http;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxagnts.api.plugins.Plugin;
import io.boxagnts.api.plugins.PluginRegistry;
import io.boxagnts.api.runtime.HttpContext;
import io.boxagnts.api.tool.CallOrigin;
import io.boxagnts.api.tool.RefusedTool;
import io.boxagnts.api.tool.RegisteredTool;
import io.boxagnts.api.tool.ToolError;
import io.boxagnts.api.tool.ToolException;
import io.boxagnts.api.tool.ToolLimits;
import io.boxagnts.api.tool.ToolPermissions;
import io.boxagnts.api.tool.ToolRegistry;
import io.boxagnts.api.tool.ToolRequest;
import io.boxagnts.api.tool.ToolResult;
import io.boxagnts.api.tool.ToolSpec;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /api/tools}: the catalog (available tools, and refused tool bundles: those the sandbox would not run and
 * the jars of the plugins folder that were never installed, e.g. unsigned under the signed-only policy). {@code POST
 * /api/tools/{name}/invoke}: runs a tool with the JSON body as its input and answers its result, or its typed error
 * with a status that says whose fault it was.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(HttpContext.SELECT)
@HttpWhiteboardServletPattern({"/api/tools", "/api/tools/*"})
public final class ToolsServlet extends HttpServlet {

    @Serial
    private static final long serialVersionUID = 1L;
    /** A tool input is at most 1 MiB; a little more for the JSON around it. */
    static final int MAX_BODY_BYTES = (1 << 20) + 4096;

    private final transient ToolRegistry registry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile PluginRegistry plugins;

    @Activate
    public ToolsServlet(@Reference ToolRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (path != null && !path.equals("/")) {
            JsonResponses.error(response, 404, "NOT_FOUND", "no such resource; GET /api/tools lists the tools");
            return;
        }
        JsonObject body = new JsonObject();
        JsonArray tools = new JsonArray();
        for (RegisteredTool tool : registry.tools()) {
            tools.add(describe(tool));
        }
        JsonArray refused = new JsonArray();
        for (RefusedTool refusal : registry.refused()) {
            JsonObject entry = JsonResponses.GSON.toJsonTree(refusal).getAsJsonObject();
            entry.addProperty("state", "refused");
            refused.add(entry);
        }
        PluginRegistry folder = plugins;
        for (Plugin plugin : folder == null ? List.<Plugin>of() : folder.plugins()) {
            if (plugin.state() == Plugin.State.REFUSED) {
                JsonObject entry = new JsonObject();
                entry.addProperty("bundle", plugin.symbolicName().isEmpty() ? plugin.file() : plugin.symbolicName());
                entry.addProperty("bundleVersion", plugin.version());
                entry.addProperty("reason", plugin.problem());
                entry.addProperty("file", plugin.file());
                entry.addProperty("state", "refused");
                refused.add(entry);
            }
        }
        body.add("tools", tools);
        body.add("refused", refused);
        JsonResponses.send(response, 200, body);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        String[] parts = path == null ? new String[0] : path.split("/");
        if (parts.length != 3 || !parts[2].equals("invoke")) {
            JsonResponses.error(response, 404, "NOT_FOUND", "POST /api/tools/{name}/invoke runs a tool");
            return;
        }
        RegisteredTool tool = registry.tool(parts[1]).orElse(null);
        if (tool == null) {
            JsonResponses.error(response, 404, "NOT_FOUND", "no tool named '" + parts[1] + "'; GET /api/tools lists them");
            return;
        }
        String input = JsonResponses.body(request, response, MAX_BODY_BYTES);
        if (input == null) {
            return;
        }
        try {
            ToolResult result = tool.tool().invoke(new ToolRequest(UUID.randomUUID().toString(), input,
                    new CallOrigin("api " + request.getRemoteAddr(), "direct API call", "token holder")));
            JsonObject body = new JsonObject();
            body.add("result", JsonParser.parseString(result.output()));
            body.addProperty("durationMs", result.duration().toMillis());
            JsonResponses.send(response, 200, body);
        } catch (ToolException e) {
            ToolError error = e.error();
            JsonResponses.error(response, status(error.kind()), error.kind().name(), error.message());
        }
    }

    /** Whose fault: the caller's (4xx for input), the tool's (422), the runtime's load or state (429, 503, 500). */
    static int status(ToolError.Kind kind) {
        return switch (kind) {
            case INVALID_INPUT -> 400;
            case PERMISSION_DENIED -> 403;
            case TOO_MANY_CALLS, MEMORY_BUDGET -> 429;
            case UNAVAILABLE -> 503;
            case INTERNAL -> 500;
            default -> 422;
        };
    }

    private JsonObject describe(RegisteredTool tool) {
        ToolSpec spec = tool.spec();
        JsonObject entry = new JsonObject();
        entry.addProperty("name", spec.name());
        entry.addProperty("description", spec.description());
        entry.add("inputSchema", JsonParser.parseString(spec.inputSchema()));
        // what it declares, and what its calls get now (the administrator's policy may narrow or change it)
        entry.add("permissions", permissions(spec.permissions()));
        entry.add("granted", permissions(tool.grant().permissions()));
        entry.add("limits", limits(tool.grant().limits()));
        entry.addProperty("version", spec.version());
        entry.addProperty("bundle", tool.bundle());
        entry.addProperty("bundleVersion", tool.bundleVersion());
        entry.addProperty("state", tool.enabled() ? "available" : "disabled");
        entry.addProperty("policy", tool.policy());
        return entry;
    }

    private static JsonObject permissions(ToolPermissions permissions) {
        JsonObject json = new JsonObject();
        json.addProperty("workspace", permissions.workspace().name().toLowerCase(Locale.ROOT));
        json.addProperty("network", permissions.network().name().toLowerCase(Locale.ROOT));
        return json;
    }

    private static JsonObject limits(ToolLimits limits) {
        JsonObject json = new JsonObject();
        json.addProperty("timeoutMs", limits.timeout().toMillis());
        json.addProperty("maxMemoryMb", limits.maxMemoryBytes() >> 20);
        json.addProperty("maxOutputKb", limits.maxOutputBytes() >> 10);
        return json;
    }
}
