package io.boxagnts.http;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import jakarta.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.context.ServletContextHelper;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContext;

/**
 * The servlet context of everything BoxAgnts serves. Every request passes {@link #handleSecurity} first: the one
 * place where request checks belong.
 */
@Component(service = ServletContextHelper.class)
@HttpWhiteboardContext(name = BoxagntsContext.NAME, path = "/")
public final class BoxagntsContext extends ServletContextHelper {

    public static final String NAME = "boxagnts";
    /** Filter that servlets use to select this context. */
    public static final String SELECT = "(osgi.http.whiteboard.context.name=" + NAME + ")";

    private final RequestGuard guard;

    @Activate
    public BoxagntsContext(BundleContext context) {
        String host = context.getProperty("org.apache.felix.http.host");
        this.guard = new RequestGuard(host == null ? Set.of() : Set.of(host, "[" + host + "]"));
    }

    @Override
    public boolean handleSecurity(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
        Optional<String> refusal = guard.refusal(request.getHeader("Host"), request.getHeader("Origin"));
        if (refusal.isPresent()) {
            JsonResponses.error(response, 403, "FORBIDDEN", refusal.get());
            return false;
        }
        return true;
    }
}
