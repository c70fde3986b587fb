package io.boxagnts.console;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardFilterPattern;

/**
 * The Content-Security-Policy of the Web Console's pages. The server-wide policy (scripts and styles from our own files
 * only) would break the console, whose pages carry inline scripts and styles and whose bundle upload library is packed
 * with {@code eval}; this one allows those, and nothing more: still only our own origin for scripts, requests, forms
 * and images, no framing, no plugins.
 *
 * <p>Its pages also get {@code Referrer-Policy: same-origin} instead of the server-wide {@code no-referrer}: under
 * {@code no-referrer} a browser sends {@code Origin: null} with a form it posts (the Fetch standard's rule for
 * navigations), which the access checks refuse as cross-site, so every plain form of the console (installing a
 * bundle, the Tools page's actions) was answered 403. {@code same-origin} gives our own Origin to our own pages and
 * still sends nothing to any other site.
 */
@Component(service = Filter.class)
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=" + ConsoleHeadersFilter.CONSOLE_CONTEXT + ")")
@HttpWhiteboardFilterPattern("/*")
public final class ConsoleHeadersFilter implements Filter {

    /** The servlet context the Web Console registers (its name is fixed in the console). */
    static final String CONSOLE_CONTEXT = "org.apache.felix.webconsole";

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
            + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    /** Our Origin on our own form posts, nothing for other sites (see the class comment). */
    static final String REFERRER_POLICY = "same-origin";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        ((HttpServletResponse) response).setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ((HttpServletResponse) response).setHeader("Referrer-Policy", REFERRER_POLICY);
        chain.doFilter(request, response);
    }
}
