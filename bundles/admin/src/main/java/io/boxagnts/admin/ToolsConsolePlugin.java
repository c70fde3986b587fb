package io.boxagnts.admin;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serial;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The console page {@code /system/console/tools}: what {@code /api/admin/tools} and {@code /api/admin/bundles} do,
 * from the browser. Plain HTML forms posted back to the page (no script of its own), each action through
 * {@link ToolAdministration}, so it is applied, audited and refused exactly as over the API; the page then shows the
 * tools as they now are, with what happened, after a redirect (a reload does not repeat the action).
 */
@Component(service = Servlet.class, property = {
        ServletConstants.PLUGIN_LABEL + "=" + ToolsConsolePlugin.LABEL,
        ServletConstants.PLUGIN_TITLE + "=Tools",
        ServletConstants.PLUGIN_CATEGORY + "=BoxAgnts"})
public final class ToolsConsolePlugin extends AbstractServlet {

    static final String LABEL = "tools";
    /** The query parameter that names what the last action did (see {@link ActionOutcomes}). */
    static final String OUTCOME = "outcome";

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient ToolAdministration admin;
    private final transient ActionOutcomes<ToolsPage.Message> outcomes = new ActionOutcomes<>();

    @Activate
    public ToolsConsolePlugin(@Reference ToolAdministration admin) {
        this.admin = admin;
    }

    @Override
    public void renderContent(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ToolsPage.Message message = outcomes.take(request.getParameter(OUTCOME)).orElse(null);
        response.getWriter().write(ToolsPage.render(pluginRoot(request), admin.overview(), message));
    }

    /** The page's own path, which the console tells its plugins. */
    private static String pluginRoot(HttpServletRequest request) {
        Object root = request.getAttribute(ServletConstants.ATTR_PLUGIN_ROOT);
        return root instanceof String path ? path : LABEL;
    }

    /** Performs the action, then sends the browser to the page that shows its outcome (post/redirect/get). */
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        String id = outcomes.put(perform(request));
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", pluginRoot(request) + "?" + OUTCOME + "=" + id);
    }

    private ToolsPage.Message perform(HttpServletRequest request) throws IOException, ServletException {
        String actor = "console (" + request.getRemoteAddr() + ")";
        String action = String.valueOf(field(request, "action"));
        String tool = request.getParameter("tool");
        try {
            String done = switch (action) {
                case "enable", "disable" -> {
                    admin.setEnabled(actor, tool, action.equals("enable"));
                    yield tool + " " + action + "d";
                }
                case "grant" -> {
                    JsonObject now = admin.grant(actor, tool, request.getParameter("workspace"));
                    yield tool + " may now " + now.getAsJsonObject("granted").get("workspace").getAsString()
                            + " the workspace";
                }
                case "limits" -> {
                    Map<String, Long> limits = new LinkedHashMap<>();
                    for (String name : new String[] {"timeoutMs", "maxMemoryMb", "maxOutputKb"}) {
                        limits.put(name, number(request.getParameter(name), name));
                    }
                    admin.limits(actor, tool, limits);
                    yield tool + "'s limits changed";
                }
                case "reset" -> {
                    admin.reset(actor, tool);
                    yield tool + " runs as it declares";
                }
                case "grantAll" -> {
                    admin.grantAll(actor, request.getParameter("workspace"));
                    yield "workspace access for all tools: " + request.getParameter("workspace");
                }
                case "upload" -> upload(request, actor);
                case "remove" -> {
                    admin.remove(actor, request.getParameter("file"));
                    yield request.getParameter("file") + " removed from the plugins folder";
                }
                default -> throw AdminException.invalid("unknown action '" + action + "'");
            };
            return new ToolsPage.Message(false, done);
        } catch (AdminException e) {
            return new ToolsPage.Message(true, e.getMessage());
        }
    }

    /** A form field, also from a multipart form (the upload's), whose fields a container need not expose. */
    private static String field(HttpServletRequest request, String name) throws IOException, ServletException {
        String value = request.getParameter(name);
        if (value == null && request.getContentType() != null
                && request.getContentType().startsWith("multipart/form-data")) {
            Part part = request.getPart(name);
            if (part != null) {
                try (InputStream in = part.getInputStream()) {
                    value = new String(in.readNBytes(256), java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }
        return value;
    }

    private String upload(HttpServletRequest request, String actor) throws AdminException, IOException,
            ServletException {
        Part part = request.getPart("bundle");
        if (part == null || part.getSize() == 0) {
            throw AdminException.invalid("choose a bundle (.jar) to upload");
        }
        if (part.getSize() > ToolAdministration.MAX_UPLOAD_BYTES) {
            throw AdminException.invalid("the bundle is larger than " + ToolAdministration.MAX_UPLOAD_BYTES
                    + " bytes; copy it into the plugins folder instead");
        }
        byte[] jar;
        try (InputStream in = part.getInputStream()) {
            jar = in.readAllBytes();
        }
        String file = part.getSubmittedFileName();
        JsonObject outcome = admin.upload(actor, file == null ? null : file.substring(file.lastIndexOf('/') + 1), jar);
        String problem = outcome.get("problem").getAsString();
        if (!problem.isEmpty()) {
            throw new AdminException(422, "REFUSED", outcome.get("file").getAsString() + " is deployed but does not "
                    + "run: " + problem);
        }
        List<String> tools = outcome.getAsJsonArray("tools").asList().stream().map(JsonElement::getAsString).toList();
        return outcome.get("file").getAsString() + " deployed: " + outcome.get("bundle").getAsString() + ", tools "
                + String.join(", ", tools);
    }

    private static Long number(String text, String name) throws AdminException {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw AdminException.invalid(name + " must be a whole number (empty or 0: as declared), not '" + text + "'");
        }
    }
}
