package io.boxagnts.http;

import io.boxagnts.api.runtime.RuntimeProperties;
import java.io.IOException;
import java.util.function.BooleanSupplier;
import org.apache.felix.http.jetty.ConnectorFactory;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The port the user reaches BoxAgnts on ({@link RuntimeProperties#HTTP_HOST}, {@link RuntimeProperties#HTTP_PORT}),
 * opened only once every answer on it is JSON (decision 0034). Felix HTTP opens its own connector before it hands its
 * servlet context to the whiteboard, and answers Jetty's HTML 404 page in between; it opens connectors of
 * {@link ConnectorFactory} services right after its own, still before that hand-over. So the launcher points Felix's
 * own connector at a throwaway loopback port, and this factory, given the started server: installs
 * {@link JsonErrorHandler} on its servlet context and {@link JsonBadMessageHandler} on the server (requests Jetty cannot
 * parse), closes the throwaway connector, and binds the user's address.
 * <p>
 * A bind failure (another program took the port after the launcher's check) stops the framework: a runtime that no
 * one can reach would otherwise say it is ready.
 */
@Component(service = ConnectorFactory.class)
public final class ApiConnector implements ConnectorFactory {

    /** Felix HTTP's defaults, which the API was built and tested with. */
    static final int HEADER_BYTES = 16 * 1024;
    static final int OUTPUT_BUFFER_BYTES = 24 * 1024;
    static final int INPUT_BUFFER_BYTES = 8 * 1024;
    static final long IDLE_TIMEOUT_MILLIS = 60_000;

    private static final Logger LOG = LoggerFactory.getLogger(ApiConnector.class);

    private final BundleContext context;
    private final String host;
    private final int port;

    @Activate
    public ApiConnector(BundleContext context) {
        this.context = context;
        this.host = required(context, RuntimeProperties.HTTP_HOST);
        this.port = Integer.parseInt(required(context, RuntimeProperties.HTTP_PORT).trim());
    }

    @Override
    public Connector createConnector(Server server) {
        try {
            return open(server, host, port, () -> !HealthProbe.frameworkStarted(context));
        } catch (IOException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e; // Jetty wraps the BindException
            String reason = "cannot listen on " + host + ":" + port + " (" + cause.getMessage() + "); another program "
                    + "took the address after the start-up check; stop it or choose another --port";
            LOG.error("{}; BoxAgnts stops", reason);
            stopFramework();
            throw new IllegalStateException(reason, e);
        }
    }

    /**
     * The connector on {@code host:port}, bound (the port open) after the JSON error answers are in place and every
     * connector the server had before is closed.
     */
    static ServerConnector open(Server server, String host, int port, BooleanSupplier starting)
            throws IOException {
        for (ServletContextHandler servletContext : server.getDescendants(ServletContextHandler.class)) {
            servletContext.setErrorHandler(new JsonErrorHandler(starting));
        }
        server.setErrorHandler(new JsonBadMessageHandler());
        for (Connector other : server.getConnectors()) {
            try {
                other.stop();
            } catch (Exception e) { // Jetty's LifeCycle throws Exception; a connector that fails to close is logged
                LOG.warn("Felix HTTP's own connector {} did not close: {}", other, e.toString());
            }
            server.removeConnector(other);
        }
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(HEADER_BYTES);
        http.setResponseHeaderSize(HEADER_BYTES);
        http.setOutputBufferSize(OUTPUT_BUFFER_BYTES);
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setSendDateHeader(true);
        http.setRelativeRedirectAllowed(true);
        HttpConnectionFactory factory = new HttpConnectionFactory(http);
        factory.setInputBufferSize(INPUT_BUFFER_BYTES);
        ServerConnector connector = new ServerConnector(server, factory);
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
        connector.open();
        return connector;
    }

    private void stopFramework() {
        try {
            context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).stop();
        } catch (BundleException | IllegalStateException e) {
            LOG.warn("the framework did not stop: {}", e.toString());
        }
    }

    private static String required(BundleContext context, String name) {
        String value = context.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("the framework property " + name + " is not set; the launcher sets it");
        }
        return value;
    }
}
