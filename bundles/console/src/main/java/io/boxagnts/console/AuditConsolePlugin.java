package io.boxagnts.console;

import io.boxagnts.api.audit.AuditLog;
import io.boxagnts.api.audit.AuditQuery;
import io.boxagnts.api.tool.ToolRegistry;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.time.Instant;
import java.util.List;
import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The console page {@code /system/console/audit}: the audit log with filters (since, tool, kind: tool calls, web
 * fetches or administrative actions, limit), read through the {@link AuditLog} service like {@code GET /api/audit},
 * never from the files. The console draws its header and menu around it; a wrong filter is shown on the page, not
 * thrown.
 */
@Component(service = Servlet.class, property = {
        ServletConstants.PLUGIN_LABEL + "=" + AuditConsolePlugin.LABEL,
        ServletConstants.PLUGIN_TITLE + "=Audit log",
        ServletConstants.PLUGIN_CATEGORY + "=BoxAgnts"})
public final class AuditConsolePlugin extends AbstractServlet {

    static final String LABEL = "audit";

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient AuditLog audit;

    /** The tools there are, offered as choices for the tool filter; the page works without them. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile ToolRegistry tools;

    @Activate
    public AuditConsolePlugin(@Reference AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public void renderContent(HttpServletRequest request, HttpServletResponse response) throws IOException {
        AuditPage.Form form = new AuditPage.Form(request.getParameter("since"), request.getParameter("tool"),
                request.getParameter("type"), request.getParameter("limit"));
        List<String> records = List.of();
        String error = null;
        try {
            AuditQuery query = form.query();
            records = audit.find(query);
        } catch (IllegalArgumentException e) {
            error = e.getMessage();
        }
        String root = (String) request.getAttribute(ServletConstants.ATTR_PLUGIN_ROOT);
        ToolRegistry registry = tools;
        List<String> names = registry == null ? List.of()
                : registry.tools().stream().map(tool -> tool.spec().name()).toList();
        response.getWriter().write(AuditPage.render(root == null ? LABEL : root, form, records, error, Instant.now(),
                names));
    }
}
