package io.boxagnts.http;

import io.boxagnts.api.runtime.HttpContext;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.context.ServletContextHelper;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContext;

/**
 * The servlet context of everything BoxAgnts serves ({@link HttpContext#NAME}). Request checks do not live here but in
 * {@link AccessFilter}, which sees every request of the server, in this context or another.
 */
@Component(service = ServletContextHelper.class)
@HttpWhiteboardContext(name = BoxagntsContext.NAME, path = "/")
public final class BoxagntsContext extends ServletContextHelper {

    public static final String NAME = HttpContext.NAME;
    /** Filter that servlets use to select this context. */
    public static final String SELECT = HttpContext.SELECT;
}
