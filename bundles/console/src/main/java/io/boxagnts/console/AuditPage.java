package io.boxagnts.console;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxagnts.api.audit.AuditQuery;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.owasp.encoder.Encode;

/**
 * The HTML of the audit log's console page: a filter form (since, tool, kind, limit) and the matching records, newest
 * last as the log has them: tool calls, web fetches and administrative actions. Rendered on the server from the records as stored, every value encoded for where it goes,
 * so nothing a tool call's arguments or a bundle's name carry can become markup. No script of its own.
 */
final class AuditPage {

    /** What the form was filled in with, as typed (shown back unchanged, also when it was wrong). */
    record Form(String since, String tool, String type, String limit) {

        AuditQuery query() {
            return AuditQuery.parse(since, tool, type, limit);
        }
    }

    private static final Map<String, String> KINDS = Map.of("", "all", AuditQuery.TOOL_CALL, "tool calls",
            AuditQuery.WEB_FETCH, "web fetches", AuditQuery.ADMIN, "administrative actions");
    private static final String TOOL_NAMES = "audit-tools";

    private AuditPage() {}

    /**
     * @param pluginRoot the page's own URL path (the form's target)
     * @param records the records as stored (JSON text), or empty
     * @param error what was wrong with the form, or null
     * @param now for the "last hour / day / week" shortcuts
     * @param tools the names of the tools registered now, offered as choices for the tool filter
     */
    static String render(String pluginRoot, Form form, List<String> records, String error, Instant now,
            List<String> tools) {
        StringBuilder html = new StringBuilder(4096 + records.size() * 400);
        html.append("<p class=\"statline\">").append(error == null
                ? records.size() + " record" + (records.size() == 1 ? "" : "s") + " of the tamper-evident audit log "
                        + "(newest last; <code>boxagnts audit verify</code> checks the files)"
                : "<span class=\"audit-error\">" + Encode.forHtml(error) + "</span>").append("</p>\n");
        form(html, pluginRoot, form, now, tools);
        html.append("<table id=\"audit-records\" class=\"nicetable\">\n<thead><tr><th>#</th><th>Time (UTC)</th>"
                + "<th>Kind</th><th>Who</th><th>What</th><th>Details</th><th>Outcome</th><th>ms</th></tr></thead>\n"
                + "<tbody>\n");
        for (String line : records) {
            row(html, line);
        }
        if (records.isEmpty()) {
            html.append("<tr><td colspan=\"8\">").append(error == null ? "No record matches." : "").append("</td></tr>\n");
        }
        return html.append("</tbody>\n</table>\n").toString();
    }

    private static void form(StringBuilder html, String pluginRoot, Form form, Instant now, List<String> tools) {
        String action = Encode.forHtmlAttribute(pluginRoot);
        html.append("<form id=\"audit-filter\" method=\"get\" action=\"").append(action).append("\" class=\"ui-widget-header\" "
                + "style=\"padding:6px;margin-bottom:6px\">");
        input(html, "since", "Since", form.since(), "2026-11-24T18:00:00Z", 22);
        input(html, "tool", "Tool or subject", form.tool(), "edit_file", 16);
        // the tools there are now (a tool's records stay findable by typing its name after it is gone)
        html.append("<datalist id=\"").append(TOOL_NAMES).append("\">");
        tools.stream().sorted().distinct().forEach(tool -> html.append("<option value=\"")
                .append(Encode.forHtmlAttribute(tool)).append("\"></option>"));
        html.append("</datalist>");
        html.append(" <label>Kind <select name=\"type\">");
        for (String kind : List.of("", AuditQuery.TOOL_CALL, AuditQuery.WEB_FETCH, AuditQuery.ADMIN)) {
            html.append("<option value=\"").append(kind).append('"')
                    .append(kind.equals(blankToEmpty(form.type())) ? " selected" : "").append('>')
                    .append(KINDS.get(kind)).append("</option>");
        }
        html.append("</select></label>");
        input(html, "limit", "Limit", form.limit(), Integer.toString(AuditQuery.DEFAULT_LIMIT), 5);
        html.append(" <button type=\"submit\">Show</button> Since the last: ");
        Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
        for (Map.Entry<String, Duration> span : List.of(Map.entry("hour", Duration.ofHours(1)),
                Map.entry("day", Duration.ofDays(1)), Map.entry("week", Duration.ofDays(7)))) {
            html.append("<a href=\"").append(action).append("?since=")
                    .append(Encode.forUriComponent(minute.minus(span.getValue()).toString())).append("\">")
                    .append(span.getKey()).append("</a> ");
        }
        html.append("</form>\n");
    }

    private static void input(StringBuilder html, String name, String label, String value, String placeholder, int size) {
        html.append(" <label>").append(label).append(" <input name=\"").append(name).append("\" size=\"").append(size)
                .append(name.equals("tool") ? "\" list=\"" + TOOL_NAMES : "")
                .append("\" placeholder=\"").append(Encode.forHtmlAttribute(placeholder)).append("\" value=\"")
                .append(Encode.forHtmlAttribute(blankToEmpty(value))).append("\"></label>");
    }

    private static void row(StringBuilder html, String line) {
        JsonObject record;
        try {
            record = JsonParser.parseString(line).getAsJsonObject();
        } catch (RuntimeException e) {
            return; // the log only hands out records whose hash line is intact; a stray line is not shown
        }
        String type = text(record, "type");
        boolean call = AuditQuery.TOOL_CALL.equals(type);
        boolean web = AuditQuery.WEB_FETCH.equals(type);
        html.append("<tr class=\"").append(call ? "audit-call" : web ? "audit-web" : "audit-admin").append("\">");
        cell(html, text(record, "seq"));
        cell(html, text(record, "time"));
        cell(html, call ? "tool call" : web ? "web fetch" : "admin");
        if (web) {
            cell(html, text(record, "caller"));
            cell(html, text(record, "tool") + " " + text(record, "url"));
            String status = text(record, "status");
            String address = text(record, "address");
            String detail = text(record, "detail");
            cell(html, (status.isEmpty() ? "" : "status " + status + ", ") + (address.isEmpty() ? "" : "from "
                    + address + ", ") + text(record, "bytes") + " bytes" + (detail.isEmpty() ? "" : "; " + detail));
            cell(html, text(record, "outcome"));
            cell(html, text(record, "durationMs"));
        } else if (call) {
            cell(html, text(record, "caller"));
            cell(html, text(record, "tool") + " " + text(record, "toolVersion"));
            cell(html, text(record, "argsPreview") + " · " + text(record, "decision") + " by "
                    + text(record, "approvedBy"));
            String error = text(record, "error");
            cell(html, text(record, "outcome") + (error.isEmpty() ? "" : ": " + error));
            cell(html, text(record, "durationMs"));
        } else {
            cell(html, text(record, "actor"));
            cell(html, text(record, "action") + " " + text(record, "subject"));
            cell(html, details(record));
            cell(html, "");
            cell(html, "");
        }
        html.append("</tr>\n");
    }

    private static String details(JsonObject record) {
        if (!record.has("details") || !record.get("details").isJsonObject()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, JsonElement> entry : record.getAsJsonObject("details").entrySet()) {
            text.append(text.isEmpty() ? "" : "; ").append(entry.getKey()).append(": ")
                    .append(entry.getValue().isJsonPrimitive() ? entry.getValue().getAsString() : entry.getValue().toString());
        }
        return text.toString();
    }

    private static void cell(StringBuilder html, String text) {
        html.append("<td>").append(Encode.forHtml(text)).append("</td>");
    }

    private static String text(JsonObject record, String field) {
        JsonElement value = record.get(field);
        return value == null || value.isJsonNull() ? "" : value.isJsonPrimitive() ? value.getAsString() : value.toString();
    }

    private static String blankToEmpty(String text) {
        return text == null ? "" : text;
    }
}
