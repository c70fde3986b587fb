package io.boxagnts.api.sandbox;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The workspace, read-only, under the sandbox's own boundary (decision 0011): every path is resolved beneath the
 * workspace without following links, and a file is read only if it is a regular file without other hard links (unless
 * the sandbox allows reading those). For the UI's file browser; tools get the same rules from the sandbox.
 *
 * <p>Paths are relative to the workspace ("" or "/" is its root). Failures: {@link java.nio.file.NoSuchFileException}
 * (nothing there), {@link java.nio.file.AccessDeniedException} (outside, through a link, a pipe or device, other hard
 * links; the reason says which), {@link java.nio.file.NotDirectoryException}, {@link IllegalArgumentException} (not a
 * valid path, or a directory where a file was asked for), other {@link java.nio.file.FileSystemException}s.
 */
@ProviderType
public interface WorkspaceFiles {

    /** The entries of a directory (unsorted), at most {@code max}; links are entries of type "link", never followed. */
    Listing list(String path, int max) throws IOException;

    /** The first {@code maxBytes} bytes of a regular file, and its size. */
    Head read(String path, int maxBytes) throws IOException;

    /**
     * @param type "dir", "file", "link" or "other" (a pipe, socket or device)
     */
    record Entry(String name, String type, long size, Instant modified) {}

    /** @param truncated whether the directory had more than the entries asked for */
    record Listing(List<Entry> entries, boolean truncated) {
        public Listing {
            entries = List.copyOf(entries);
        }
    }

    /** @param bytes the first bytes of the file (fewer than its size if cut) */
    record Head(long size, byte[] bytes) {}
}
