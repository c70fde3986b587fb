package io.boxagnts.console;

import io.boxagnts.api.runtime.HttpContext;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.nio.charset.StandardCharsets;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /api/console}: where the Web Console is and whether the caller may open it, so that the web UI links to
 * it for the administrator only. {@code {"path":"/system/console/","mayOpen":true}}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(HttpContext.SELECT)
@HttpWhiteboardServletPattern("/api/console")
public final class ConsoleLinkServlet extends HttpServlet {

    @Serial
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean mayOpen = HttpContext.ROLE_ADMIN.equals(request.getAttribute(HttpContext.ROLE_ATTRIBUTE));
        response.setStatus(200);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write("{\"path\":\"" + HttpContext.CONSOLE_PATH + "/\",\"mayOpen\":" + mayOpen + "}");
    }
}
