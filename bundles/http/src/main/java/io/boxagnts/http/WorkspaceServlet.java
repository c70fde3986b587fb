package io.boxagnts.http;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.boxagnts.api.runtime.HttpContext;
import io.boxagnts.api.sandbox.WorkspaceFiles;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The workspace, read-only, for the UI's file browser: {@code GET /api/workspace/list?path=dir} lists a directory,
 * {@code GET /api/workspace/file?path=file} previews a file (text up to {@link #MAX_PREVIEW_BYTES}). Paths are
 * relative to the workspace. The files are read through the sandbox's {@link WorkspaceFiles}, so the browser keeps the
 * tools' boundary (decision 0011): nothing outside, no link followed, no pipe or device opened, no file with other hard
 * links shown unless the sandbox allows reading those.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(HttpContext.SELECT)
@HttpWhiteboardServletPattern("/api/workspace/*")
public final class WorkspaceServlet extends HttpServlet {

    @Serial
    private static final long serialVersionUID = 1L;
    static final int MAX_PREVIEW_BYTES = 512 << 10;
    static final int MAX_ENTRIES = 5000;

    private final transient WorkspaceFiles files;

    @Activate
    public WorkspaceServlet(@Reference WorkspaceFiles files) {
        this.files = files;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String action = request.getPathInfo();
        String relative = "";
        try {
            relative = Objects.requireNonNullElse(Requests.query(request.getQueryString(), "path"), "");
            if ("/list".equals(action)) {
                JsonResponses.send(response, 200, list(relative));
            } else if ("/file".equals(action)) {
                JsonResponses.send(response, 200, preview(relative));
            } else {
                JsonResponses.error(response, 404, "NOT_FOUND",
                        "GET /api/workspace/list?path=DIR or /api/workspace/file?path=FILE");
            }
        } catch (NoSuchFileException e) {
            JsonResponses.error(response, 404, "NOT_FOUND", "'" + relative + "' does not exist in the workspace");
        } catch (NotDirectoryException e) {
            JsonResponses.error(response, 400, "INVALID_INPUT", "'" + relative + "' is not a directory");
        } catch (IllegalArgumentException e) {
            JsonResponses.error(response, 400, "INVALID_INPUT", e.getMessage());
        } catch (AccessDeniedException e) {
            JsonResponses.error(response, 403, "FORBIDDEN", Objects.requireNonNullElse(e.getReason(),
                    "'" + relative + "' may not be read"));
        } catch (FileSystemException e) { // too long a name, no permission...
            JsonResponses.error(response, 400, "INVALID_INPUT", "'" + relative + "' cannot be read: "
                    + Objects.requireNonNullElse(e.getReason(), e.getClass().getSimpleName()));
        }
    }

    private JsonObject list(String dir) throws IOException {
        WorkspaceFiles.Listing listing = files.list(dir, MAX_ENTRIES);
        String base = path(dir);
        List<JsonObject> entries = new ArrayList<>();
        for (WorkspaceFiles.Entry child : listing.entries()) {
            JsonObject entry = new JsonObject();
            entry.addProperty("name", child.name());
            entry.addProperty("path", base.isEmpty() ? child.name() : base + "/" + child.name());
            entry.addProperty("type", child.type());
            entry.addProperty("size", child.size());
            entry.addProperty("modified", child.modified().toString());
            entries.add(entry);
        }
        entries.sort(Comparator.<JsonObject, Boolean>comparing(e -> !e.get("type").getAsString().equals("dir"))
                .thenComparing(e -> e.get("name").getAsString()));
        JsonArray array = new JsonArray();
        entries.forEach(array::add);
        JsonObject body = new JsonObject();
        body.addProperty("path", base);
        body.add("entries", array);
        body.addProperty("truncated", listing.truncated());
        return body;
    }

    private JsonObject preview(String file) throws IOException {
        WorkspaceFiles.Head head = files.read(file, MAX_PREVIEW_BYTES);
        byte[] bytes = head.bytes();
        JsonObject body = new JsonObject();
        body.addProperty("path", path(file));
        body.addProperty("size", head.size());
        String text = text(bytes, head.size() > bytes.length);
        body.addProperty("binary", text == null);
        body.addProperty("truncated", head.size() > bytes.length);
        if (text != null) {
            body.addProperty("text", text);
        }
        return body;
    }

    /** A workspace path as the UI shows it: relative, normalised, "" for the root (valid: the files read it first). */
    static String path(String relative) {
        String normal = Path.of(relative.startsWith("/") ? relative.substring(1) : relative).normalize().toString();
        return normal.equals(".") ? "" : normal;
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
}
