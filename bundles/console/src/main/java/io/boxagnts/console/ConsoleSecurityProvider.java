package io.boxagnts.console;

import io.boxagnts.api.audit.AdminAction;
import io.boxagnts.api.audit.AuditLog;
import io.boxagnts.api.runtime.HttpContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.felix.webconsole.spi.SecurityProvider;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may use the Web Console: whoever BoxAgnts' access checks let through as an administrator, and nobody else. No
 * user name, no second password, no {@code admin/admin}: the checks that run before every request of the server
 * (decision 0008) have already matched the access-token cookie or {@code Authorization: Bearer} and marked the request
 * with its role; this provider reads that mark. A request without it (a path the checks did not classify as
 * administrative, e.g. after someone moved the console's root) is refused here, so the console never opens on a plain
 * access token by mistake.
 * <p>
 * The console only registers itself once a provider with this {@link #ID} is present (the launcher sets
 * {@code felix.webconsole.security.providers}), and ours outranks its built-in basic-auth provider, which is never
 * asked.
 */
@Component(property = SecurityProvider.PROPERTY_ID + "=" + ConsoleSecurityProvider.ID)
public final class ConsoleSecurityProvider implements SecurityProvider {

    /** The name the launcher requires before the console registers. */
    public static final String ID = "boxagnts";

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleSecurityProvider.class);

    /** Optional: the console must open even while the audit log is being restarted by a configuration change. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditLog audit;

    /** The console's user: the administrator, as the access checks recognised them. */
    record Administrator(String credential) {}

    static final Administrator ADMINISTRATOR = new Administrator("BoxAgnts administrator token");

    @Override
    public Object authenticate(HttpServletRequest request, HttpServletResponse response) {
        if (HttpContext.ROLE_ADMIN.equals(request.getAttribute(HttpContext.ROLE_ATTRIBUTE))) {
            return ADMINISTRATOR;
        }
        refuse(response);
        return null;
    }

    @Override
    public boolean authorize(Object user, String role) {
        return user == ADMINISTRATOR;
    }

    /**
     * "Log out" signs this browser out of BoxAgnts (the console has no session of its own: it is the administrator's
     * sign-in, which the UI shares) and goes back to the UI, which then asks for a token. Recorded in the audit log.
     */
    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response) {
        Object expired = request.getAttribute(HttpContext.SIGN_OUT_COOKIE_ATTRIBUTE);
        if (expired instanceof String header) {
            response.addHeader("Set-Cookie", header);
        }
        response.setHeader("Cache-Control", "no-store");
        AuditLog log = audit;
        if (log != null) {
            log.record(new AdminAction("console (" + request.getRemoteAddr() + ")", "sign-out",
                    HttpContext.CONSOLE_PATH, Map.of()));
        }
        try {
            response.sendRedirect("/");
        } catch (IOException e) {
            LOG.debug("the redirect after leaving the console failed: {}", e.toString());
        }
    }

    private static void refuse(HttpServletResponse response) {
        try {
            response.setStatus(403);
            response.setContentType("application/json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter().write("{\"error\":{\"kind\":\"FORBIDDEN\",\"message\":\"the Web Console is for the "
                    + "administrator: open it with the administrator's token\"}}");
        } catch (IOException | IllegalStateException e) {
            LOG.debug("the console's refusal could not be sent: {}", e.toString());
        }
    }
}
