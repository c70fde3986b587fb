package io.boxagnts.http;

import jakarta.servlet.http.HttpServletRequest;
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

    @Override
    public boolean handleSecurity(HttpServletRequest request, HttpServletResponse response) {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
        return true;
    }
}
