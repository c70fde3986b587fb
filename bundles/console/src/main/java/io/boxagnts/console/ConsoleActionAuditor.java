package io.boxagnts.console;

import io.boxagnts.api.audit.AdminAction;
import io.boxagnts.api.audit.AuditLog;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;

/**
 * Records who did what through the Web Console: every request that may change something (not GET or HEAD) becomes an
 * {@code admin} record {@code console request} with the console's page, the action it asked for and the answer's
 * status. The change itself is recorded too, by whoever sees it (a configuration change, a bundle installed); what
 * only the console does (starting and stopping a bundle, enabling a component) is recorded here alone, and this
 * record says it was the console, from which address. Form values are never written down (a configuration form may
 * hold a key); the configuration audit masks secrets in what was stored.
 */
@Component(service = Filter.class)
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=" + ConsoleHeadersFilter.CONSOLE_CONTEXT + ")")
@HttpWhiteboardFilterPattern("/*")
public final class ConsoleActionAuditor implements Filter {

    private static final Pattern BUNDLE = Pattern.compile("/bundles/(\\d+)(?:\\.json)?");
    private static final Pattern WORD = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,39}");

    private final BundleContext context;

    /** Optional: the console stays usable while the audit log restarts after a change of its configuration. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditLog audit;

    @Activate
    public ConsoleActionAuditor(BundleContext context) {
        this.context = context;
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) servletRequest;
        HttpServletResponse response = (HttpServletResponse) servletResponse;
        String method = request.getMethod();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            chain.doFilter(request, response);
            return;
        }
        String page = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        Map<String, String> details = new LinkedHashMap<>();
        details.put("method", method);
        // named before the request runs: an uninstalled bundle has no name afterwards
        Matcher bundle = BUNDLE.matcher(page);
        if (bundle.matches()) {
            Bundle target = context.getBundle(Long.parseLong(bundle.group(1)));
            details.put("bundle", target == null ? "no bundle " + bundle.group(1) : target.getSymbolicName() + " "
                    + target.getVersion());
        }
        try {
            chain.doFilter(request, response);
        } finally {
            // read after the console did: its own parsing of the form (also a multipart one) comes first
            details.put("requested", requested(request));
            details.put("status", Integer.toString(response.getStatus()));
            AuditLog log = audit;
            if (log != null) {
                log.record(new AdminAction("console (" + request.getRemoteAddr() + ")", "console request",
                        request.getContextPath() + page, details));
            }
        }
    }

    /** The action the form asked for: its {@code action} field, or the configuration editor's apply or delete. */
    private static String requested(HttpServletRequest request) {
        try {
            String action = request.getParameter("action");
            if (action != null && WORD.matcher(action).matches()) {
                return action;
            }
            if (request.getParameter("delete") != null) {
                return "delete";
            }
            return request.getParameter("apply") != null ? "apply" : action == null ? "" : "(not a name)";
        } catch (RuntimeException e) {
            return "(unreadable: " + e.getClass().getSimpleName() + ")";
        }
    }
}
