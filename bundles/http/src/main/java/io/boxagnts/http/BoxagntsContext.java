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
@HttpWhiteboardContext(name = HttpContext.NAME, path = "/")
public final class BoxagntsContext extends ServletContextHelper {}
