package io.boxagnts.agent;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxagnts.api.agent.AgentEvent;
import io.boxagnts.api.tool.ToolSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a writing tool changed, so that the user can review a session's edits as diffs. A tool that may write and takes
 * a {@code "path"} argument (the convention of the bundled tools) has that file read before and after the call; text
 * files up to {@link #MAX_BYTES} are kept, others are not recorded. Reading happens on the host, inside the workspace
 * only, and never follows a link out of it.
 */
final class FileChanges {

    static final int MAX_BYTES = 256 << 10;

    /** The file a call may change, and its text before the call (null when it did not exist). */
    record Before(String path, Path file, String text) {}

    private final Path workspace;

    FileChanges(Path workspace) {
        this.workspace = workspace.toAbsolutePath().normalize();
    }

    /** Empty when the tool does not write or names no path, or the file is not a small text file. */
    Optional<Before> before(ToolSpec spec, String arguments) {
        if (!spec.permissions().writes()) {
            return Optional.empty();
        }
        String path = pathArgument(arguments);
        Path file = path == null ? null : inside(path);
        if (file == null) {
            return Optional.empty();
        }
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(new Before(path, file, null));
        }
        return text(file).map(text -> new Before(path, file, text));
    }

    /** The change, if the file's text differs after the call. */
    Optional<AgentEvent.FileChanged> after(Before before, String sessionId, Instant at, String callId) {
        String now = Files.exists(before.file(), LinkOption.NOFOLLOW_LINKS) ? text(before.file()).orElse(null) : null;
        if (Objects.equals(now, before.text()) || (now == null && Files.exists(before.file()))) {
            return Optional.empty();
        }
        return Optional.of(new AgentEvent.FileChanged(sessionId, at, callId, before.path(), before.text(), now));
    }

    private Path inside(String path) {
        try {
            Path file = workspace.resolve(path.startsWith("/") ? path.substring(1) : path).normalize();
            if (!file.startsWith(workspace)) {
                return null;
            }
            Path parent = file.getParent();
            if (parent != null && Files.exists(parent) && !parent.toRealPath().startsWith(workspace.toRealPath())) {
                return null; // a link in the path leads out of the workspace
            }
            return Files.isSymbolicLink(file) ? null : file;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Optional<String> text(Path file) {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > MAX_BYTES) {
                return Optional.empty();
            }
            byte[] bytes = Files.readAllBytes(file);
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty(); // binary
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String pathArgument(String arguments) {
        try {
            JsonElement json = JsonParser.parseString(arguments);
            if (json.isJsonObject()) {
                JsonObject object = json.getAsJsonObject();
                JsonElement path = object.get("path");
                if (path != null && path.isJsonPrimitive() && path.getAsJsonPrimitive().isString()) {
                    return path.getAsString();
                }
            }
        } catch (RuntimeException e) {
            // not JSON: the tool will say so itself
        }
        return null;
    }
}
