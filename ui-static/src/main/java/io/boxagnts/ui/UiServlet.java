package io.boxagnts.ui;

import io.boxagnts.api.runtime.HttpContext;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serial;
import java.io.UncheckedIOException;
import java.net.URL;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * Serves the UI: its page at {@code /}, its files under {@code /ui/} (the only paths served without the access token).
 * It is the default servlet of the context, so it also answers 404 for every path nothing else claims. The
 * files are read from the bundle once, at activation: a UI is a few hundred kilobytes, and serving from memory with an
 * ETag keeps reloads to a 304.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(HttpContext.SELECT)
@HttpWhiteboardServletPattern("/")
public final class UiServlet extends HttpServlet {

    @Serial
    private static final long serialVersionUID = 1L;
    static final String ROOT = "web";

    /** A file of the UI, ready to send. */
    record Asset(byte[] content, String contentType, String etag) {}

    private final transient Map<String, Asset> assets;

    @Activate
    public UiServlet(BundleContext context) {
        this(load(context));
    }

    UiServlet(Map<String, Asset> assets) {
        this.assets = Map.copyOf(assets);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        Asset asset = path.equals("/") ? assets.get("/index.html")
                : path.startsWith(HttpContext.UI_PREFIX) ? assets.get(path.substring(HttpContext.UI_PREFIX.length() - 1))
                : null;
        if (asset == null) {
            response.sendError(404); // the context's error page answers, in the API's JSON
            return;
        }
        response.setHeader("ETag", asset.etag());
        response.setHeader("Cache-Control", "no-cache");
        if (asset.etag().equals(request.getHeader("If-None-Match"))) {
            response.setStatus(304);
            return;
        }
        response.setStatus(200);
        response.setContentType(asset.contentType());
        response.setContentLength(asset.content().length);
        response.getOutputStream().write(asset.content());
    }


    private static Map<String, Asset> load(BundleContext context) {
        Map<String, Asset> assets = new HashMap<>();
        for (URL url : Collections.list(context.getBundle().findEntries(ROOT, "*", true))) {
            String path = url.getPath().substring(url.getPath().indexOf("/" + ROOT + "/") + ROOT.length() + 1);
            if (path.endsWith("/")) {
                continue;
            }
            try (InputStream in = url.openStream()) {
                byte[] content = in.readAllBytes();
                assets.put(path, new Asset(content, contentType(path), etag(content)));
            } catch (IOException e) {
                throw new UncheckedIOException("the UI file " + path + " cannot be read from the bundle", e);
            }
        }
        return assets;
    }

    static String contentType(String path) {
        String extension = path.substring(path.lastIndexOf('.') + 1);
        return switch (extension) {
            case "html" -> "text/html;charset=utf-8";
            case "js", "mjs" -> "text/javascript;charset=utf-8";
            case "css" -> "text/css;charset=utf-8";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "ico" -> "image/x-icon";
            case "json" -> "application/json";
            case "woff2" -> "font/woff2";
            default -> "application/octet-stream";
        };
    }

    static String etag(byte[] content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
