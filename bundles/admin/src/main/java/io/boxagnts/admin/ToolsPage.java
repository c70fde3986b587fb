package io.boxagnts.admin;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;
import org.owasp.encoder.Encode;

/**
 * The HTML of the Tools console page, from what {@link ToolAdministration#overview()} answers: every tool with its
 * bundle, state, workspace access (declared and granted), limits, calls and latency, and forms for each action; the
 * workspace access of all tools; an upload form; the refused bundles with their reason. Every value is encoded for
 * where it goes, so nothing a bundle or tool name carries becomes markup.
 */
final class ToolsPage {

    /** What the last action did, or why it was refused. */
    record Message(boolean error, String text) {}

    private static final List<String> ACCESS = List.of("none", "read", "write");

    private ToolsPage() {}

    static String render(String pluginRoot, JsonObject overview, Message message) {
        String action = Encode.forHtmlAttribute(pluginRoot);
        StringBuilder html = new StringBuilder(16_384);
        JsonArray tools = overview.getAsJsonArray("tools");
        html.append("<p class=\"statline\">").append(tools.size()).append(" tool").append(tools.size() == 1 ? "" : "s");
        if (overview.has("caps")) {
            JsonObject caps = overview.getAsJsonObject("caps");
            html.append(" · the sandbox's caps: ").append(limits(caps));
        }
        html.append("</p>\n");
        if (message != null) {
            html.append("<p id=\"tools-message\" class=\"").append(message.error() ? "tools-error ui-state-error"
                    : "tools-done ui-state-highlight").append("\" style=\"padding:4px\">")
                    .append(Encode.forHtml(message.text())).append("</p>\n");
        }
        allTools(html, action, overview.getAsJsonObject("allTools"));
        html.append("<table id=\"tools\" class=\"nicetable\">\n<thead><tr><th>Tool</th><th>Bundle</th><th>State</th>"
                + "<th>Workspace</th><th>Limits</th><th>Calls</th><th>Errors</th><th>p50 / p90 / p99 ms</th>"
                + "<th>Policy</th></tr></thead>\n<tbody>\n");
        for (JsonElement tool : tools) {
            row(html, action, tool.getAsJsonObject());
        }
        if (tools.isEmpty()) {
            html.append("<tr><td colspan=\"9\">No tool is available.</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n");
        upload(html, action);
        refused(html, action, overview.getAsJsonArray("refused"));
        return html.toString();
    }

    private static void allTools(StringBuilder html, String action, JsonObject allTools) {
        String current = allTools.get("workspace").getAsString();
        html.append("<form id=\"tools-all\" method=\"post\" action=\"").append(action).append("\" class=\"ui-widget-header\""
                + " style=\"padding:6px;margin-bottom:6px\"><input type=\"hidden\" name=\"action\" value=\"grantAll\">"
                + "<label>Workspace access for all tools <select name=\"workspace\">");
        for (String access : List.of("write", "read", "none")) {
            html.append("<option value=\"").append(access).append('"').append(access.equals(current) ? " selected" : "")
                    .append('>').append(access.equals("write") ? "write (as each tool is granted)"
                            : access.equals("read") ? "read-only" : "none").append("</option>");
        }
        html.append("</select></label> <button type=\"submit\">Apply</button></form>\n");
    }

    private static void row(StringBuilder html, String action, JsonObject tool) {
        String name = tool.get("name").getAsString();
        JsonObject declared = tool.getAsJsonObject("declared");
        JsonObject granted = tool.getAsJsonObject("granted");
        JsonObject stats = tool.getAsJsonObject("stats");
        boolean enabled = tool.get("state").getAsString().equals("enabled");
        html.append("<tr class=\"tool\" data-tool=\"").append(Encode.forHtmlAttribute(name)).append("\">");
        html.append("<td><b>").append(Encode.forHtml(name)).append("</b> ").append(Encode.forHtml(text(tool, "version")))
                .append("<br><small>").append(Encode.forHtml(text(tool, "description"))).append("</small></td>");
        html.append("<td>").append(Encode.forHtml(text(tool, "bundle") + " " + text(tool, "bundleVersion")))
                .append("<br><small>").append(Encode.forHtml(text(tool, "file").isEmpty() ? "core bundle"
                        : "plugins/" + text(tool, "file"))).append(" · ").append(Encode.forHtml(text(tool, "bundleState")))
                .append("</small>");
        if (!text(tool, "file").isEmpty()) {
            form(html, action, "remove", "file", text(tool, "file"), "Uninstall");
        }
        html.append("</td><td class=\"tool-state\">").append(enabled ? "enabled" : "<b>disabled</b>");
        form(html, action, enabled ? "disable" : "enable", "tool", name, enabled ? "Disable" : "Enable");
        html.append("</td><td class=\"tool-workspace\">").append(Encode.forHtml(granted.get("workspace").getAsString()));
        if (!granted.get("workspace").equals(declared.get("workspace"))) {
            html.append(" <small>(declares ").append(Encode.forHtml(declared.get("workspace").getAsString()))
                    .append(")</small>");
        }
        grantForm(html, action, name, declared.get("workspace").getAsString(), granted.get("workspace").getAsString());
        html.append("</td><td class=\"tool-limits\">").append(limits(granted.getAsJsonObject("limits")));
        if (!granted.get("limits").equals(declared.get("limits"))) {
            html.append("<br><small>declares ").append(limits(declared.getAsJsonObject("limits"))).append("</small>");
        }
        limitsForm(html, action, name, tool.getAsJsonArray("config"));
        html.append("</td><td class=\"tool-calls\">").append(stats.get("calls").getAsLong())
                .append("</td><td class=\"tool-errors\">").append(stats.get("errors").getAsLong()).append("</td><td>")
                .append(stats.get("p50Ms").getAsDouble()).append(" / ").append(stats.get("p90Ms").getAsDouble())
                .append(" / ").append(stats.get("p99Ms").getAsDouble()).append("</td><td class=\"tool-policy\"><small>")
                .append(Encode.forHtml(text(tool, "policy").isEmpty() ? "as declared" : text(tool, "policy")))
                .append("</small>");
        for (JsonElement config : tool.getAsJsonArray("config")) {
            String file = text(config.getAsJsonObject(), "file");
            html.append("<br><small>").append(Encode.forHtml(file.isEmpty() ? "as a file: conf/"
                    + text(config.getAsJsonObject(), "asFile") : "from " + file)).append("</small>");
        }
        if (!tool.getAsJsonArray("config").isEmpty()) {
            form(html, action, "reset", "tool", name, "Reset to declared");
        }
        html.append("</td></tr>\n");
    }

    private static void grantForm(StringBuilder html, String action, String name, String declared, String granted) {
        open(html, action, "grant", "tool", name);
        html.append("<select name=\"workspace\" aria-label=\"workspace access of ").append(Encode.forHtmlAttribute(name))
                .append("\"><option value=\"\">as declared</option>");
        for (String access : ACCESS.subList(0, ACCESS.indexOf(declared) + 1)) {
            html.append("<option value=\"").append(access).append('"').append(access.equals(granted) ? " selected" : "")
                    .append('>').append(access).append("</option>");
        }
        html.append("</select> <button type=\"submit\">Grant</button></form>");
    }

    private static void limitsForm(StringBuilder html, String action, String name, JsonArray configs) {
        JsonObject set = configs.isEmpty() ? new JsonObject()
                : configs.get(0).getAsJsonObject().getAsJsonObject("properties");
        open(html, action, "limits", "tool", name);
        for (String[] limit : new String[][] {{"timeoutMs", "ms"}, {"maxMemoryMb", "MiB"}, {"maxOutputKb", "KiB"}}) {
            html.append("<input name=\"").append(limit[0]).append("\" size=\"6\" placeholder=\"declared\" title=\"")
                    .append(limit[0]).append(" (empty: as declared)\" value=\"")
                    .append(Encode.forHtmlAttribute(set.has(limit[0]) ? set.get(limit[0]).getAsString() : ""))
                    .append("\">").append(limit[1]).append(' ');
        }
        html.append("<button type=\"submit\">Set limits</button></form>");
    }

    private static void upload(StringBuilder html, String action) {
        html.append("<form id=\"tools-upload\" method=\"post\" enctype=\"multipart/form-data\" action=\"").append(action)
                .append("\" class=\"ui-widget-header\" style=\"padding:6px;margin:6px 0\">"
                        + "<input type=\"hidden\" name=\"action\" value=\"upload\"><label>Upload a tool bundle "
                        + "<input type=\"file\" name=\"bundle\" accept=\".jar\"></label> "
                        + "<button type=\"submit\">Upload</button> <small>written into the plugins folder, deployed at once"
                        + "</small></form>\n");
    }

    private static void refused(StringBuilder html, String action, JsonArray refused) {
        html.append("<h3>Refused bundles</h3>\n<table id=\"tools-refused\" class=\"nicetable\"><thead><tr>"
                + "<th>Bundle</th><th>File</th><th>Why</th><th></th></tr></thead><tbody>\n");
        for (JsonElement element : refused) {
            JsonObject entry = element.getAsJsonObject();
            html.append("<tr><td>").append(Encode.forHtml(text(entry, "bundle") + " " + text(entry, "bundleVersion")))
                    .append("</td><td>").append(Encode.forHtml(text(entry, "file"))).append("</td><td>")
                    .append(Encode.forHtml(text(entry, "reason"))).append("</td><td>");
            if (!text(entry, "file").isEmpty()) {
                form(html, action, "remove", "file", text(entry, "file"), "Remove");
            }
            html.append("</td></tr>\n");
        }
        if (refused.isEmpty()) {
            html.append("<tr><td colspan=\"4\">None.</td></tr>\n");
        }
        html.append("</tbody></table>\n");
    }

    private static void form(StringBuilder html, String action, String verb, String field, String value, String label) {
        open(html, action, verb, field, value);
        html.append("<button type=\"submit\">").append(label).append("</button></form>");
    }

    private static void open(StringBuilder html, String action, String verb, String field, String value) {
        html.append("<form method=\"post\" action=\"").append(action).append("\" class=\"tool-").append(verb)
                .append("\" style=\"margin:2px 0\"><input type=\"hidden\" name=\"action\" value=\"").append(verb)
                .append("\"><input type=\"hidden\" name=\"").append(field).append("\" value=\"")
                .append(Encode.forHtmlAttribute(value)).append("\">");
    }

    private static String limits(JsonObject limits) {
        return limits.get("timeoutMs").getAsLong() + " ms, " + limits.get("maxMemoryMb").getAsLong() + " MiB, "
                + limits.get("maxOutputKb").getAsLong() + " KiB out";
    }

    private static String text(JsonObject object, String field) {
        return object.has(field) && object.get(field).isJsonPrimitive() ? object.get(field).getAsString() : "";
    }
}
