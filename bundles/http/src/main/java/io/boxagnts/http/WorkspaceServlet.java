package io.boxagnts.http;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.boxagnts.api.runtime.HttpContext;
import io.boxagnts.api.runtime.RuntimeProperties;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serial;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The workspace, read-only, for the UI's file browser: {@code GET /api/workspace/list?path=dir} lists a directory,
 * {@code GET /api/workspace/file?path=file} previews a file (text up to {@link #MAX_PREVIEW_BYTES}). Paths are
 * relative to the workspace; nothing outside it is shown, and no link is followed out of it.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(HttpContext.SELECT)
@HttpWhiteboardServletPattern("/api/workspace/*")
public final class WorkspaceServlet extends HttpServlet {

    @Serial
    private static final long serialVersionUID = 1L;
    static final int MAX_PREVIEW_BYTES = 512 << 10;
    static final int MAX_ENTRIES = 5000;

    private final transient Path root;

    @Activate
    public WorkspaceServlet(BundleContext context) throws IOException {
        String workspace = context.getProperty(RuntimeProperties.WORKSPACE);
        this.root = Path.of(workspace == null ? "." : workspace).toRealPath();
    }

    WorkspaceServlet(Path root) throws IOException {
        this.root = root.toRealPath();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String action = request.getPathInfo();
        String relative = "";
        try {
            relative = Objects.requireNonNullElse(Requests.query(request.getQueryString(), "path"), "");
            Path target = resolve(relative);
            if ("/list".equals(action)) {
                JsonResponses.send(response, 200, list(target));
            } else if ("/file".equals(action)) {
                JsonResponses.send(response, 200, preview(target));
            } else {
                JsonResponses.error(response, 404, "NOT_FOUND",
                        "GET /api/workspace/list?path=DIR or /api/workspace/file?path=FILE");
            }
        } catch (NoSuchFileException e) {
            JsonResponses.error(response, 404, "NOT_FOUND", "'" + relative + "' does not exist in the workspace");
        } catch (IllegalArgumentException e) {
            JsonResponses.error(response, 400, "INVALID_INPUT", e.getMessage());
        } catch (SecurityException e) {
            JsonResponses.error(response, 403, "FORBIDDEN", e.getMessage());
        } catch (FileSystemException e) { // too long a name, not a directory, no permission...
            JsonResponses.error(response, 400, "INVALID_INPUT", "'" + relative + "' cannot be read: "
                    + Objects.requireNonNullElse(e.getReason(), e.getClass().getSimpleName()));
        }
    }

    /** The real file for a workspace path; outside the workspace, or through a link that leads out, is refused. */
    Path resolve(String relative) throws IOException {
        Path path;
        try {
            path = root.resolve(relative.startsWith("/") ? relative.substring(1) : relative).normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + relative + "' is not a valid path");
        }
        if (!path.startsWith(root)) {
            throw new SecurityException("'" + relative + "' lies outside the workspace");
        }
        Path real = path.toRealPath();
        if (!real.startsWith(root)) {
            throw new SecurityException("'" + relative + "' is a link that leads outside the workspace");
        }
        return real;
    }

    private JsonObject list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("'" + relative(dir) + "' is not a directory");
        }
        List<JsonObject> entries = new ArrayList<>();
        boolean truncated = false;
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                if (entries.size() == MAX_ENTRIES) {
                    truncated = true;
                    break;
                }
                entries.add(entry(child));
            }
        }
        entries.sort(Comparator.<JsonObject, Boolean>comparing(e -> !e.get("type").getAsString().equals("dir"))
                .thenComparing(e -> e.get("name").getAsString()));
        JsonArray array = new JsonArray();
        entries.forEach(array::add);
        JsonObject body = new JsonObject();
        body.addProperty("path", relative(dir));
        body.add("entries", array);
        body.addProperty("truncated", truncated);
        return body;
    }

    private JsonObject entry(Path child) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        JsonObject entry = new JsonObject();
        entry.addProperty("name", child.getFileName().toString());
        entry.addProperty("path", relative(child));
        entry.addProperty("type", attributes.isSymbolicLink() ? "link" : attributes.isDirectory() ? "dir" : "file");
        entry.addProperty("size", attributes.size());
        entry.addProperty("modified", attributes.lastModifiedTime().toInstant().toString());
        return entry;
    }

    private JsonObject preview(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("'" + relative(file) + "' is not a file");
        }
        long size = Files.size(file);
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(MAX_PREVIEW_BYTES);
        }
        JsonObject body = new JsonObject();
        body.addProperty("path", relative(file));
        body.addProperty("size", size);
        String text = text(head, size > head.length);
        body.addProperty("binary", text == null);
        body.addProperty("truncated", size > head.length);
        if (text != null) {
            body.addProperty("text", text);
        }
        return body;
    }

    /** The bytes as UTF-8 text, or null for binary content (a NUL byte, or not UTF-8). */
    static String text(byte[] bytes, boolean cut) {
        for (byte b : bytes) {
            if (b == 0) {
                return null;
            }
        }
        int end = bytes.length;
        if (cut) { // the cut may split a character: drop its start
            while (end > 0 && end > bytes.length - 4 && (bytes[end - 1] & 0xC0) == 0x80) {
                end--;
            }
            if (end > 0 && (bytes[end - 1] & 0x80) != 0) {
                end--;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, end)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private String relative(Path path) {
        return root.relativize(path).toString();
    }
}
