package io.boxagnts.sandbox;

import io.boxagnts.api.runtime.RuntimeProperties;
import io.boxagnts.api.sandbox.WorkspaceFiles;
import io.boxagnts.sandbox.LinuxCalls.Errno;
import io.boxagnts.sandbox.LinuxCalls.Stat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The workspace for the UI's file browser, read under the same boundary as the tools: resolved beneath the open
 * workspace, no link followed, only regular files read, none with other hard links unless the sandbox allows reading
 * those. Has its own handle of the workspace, so the browser works while the engine starts; opened at the first
 * request, not when the servlet is registered during start-up (linking the system calls is 60-100 ms of a cold
 * start, decision 0041).
 */
@Component(service = WorkspaceFiles.class, configurationPid = "io.boxagnts.sandbox")
public final class WorkspaceBrowser implements WorkspaceFiles {

    private final Path path;
    private final boolean readsLinkedFiles;
    private WorkspaceRoot workspace;
    private boolean closed;

    @Activate
    public WorkspaceBrowser(BundleContext context, GraalWasmSandbox.Config config) {
        this.path = Path.of(context.getProperty(RuntimeProperties.WORKSPACE) == null ? "."
                : context.getProperty(RuntimeProperties.WORKSPACE));
        this.readsLinkedFiles = config.readMultiplyLinkedFiles();
    }

    WorkspaceBrowser(WorkspaceRoot workspace) {
        this.path = workspace.path();
        this.readsLinkedFiles = workspace.readsLinkedFiles();
        this.workspace = workspace;
    }

    /** The workspace's handle, opened at the first request (a failure is told to that request, and retried). */
    private synchronized WorkspaceRoot workspace() throws IOException {
        if (closed) {
            throw new IOException("the workspace browser is stopping");
        }
        if (workspace == null) {
            workspace = WorkspaceRoot.open(path, readsLinkedFiles);
        }
        return workspace;
    }

    @Deactivate
    synchronized void deactivate() {
        closed = true;
        if (workspace != null) {
            workspace.close();
        }
    }

    @Override
    public Listing list(String path, int max) throws IOException {
        String relative = relative(path);
        int dir = open(relative, LinuxCalls.O_PATH | LinuxCalls.O_DIRECTORY, path);
        try (DirectoryStream<Path> names = Files.newDirectoryStream(WorkspaceRoot.procPath(dir))) {
            List<Entry> entries = new ArrayList<>();
            for (Path name : names) {
                if (entries.size() == max) {
                    return new Listing(entries, true);
                }
                try {
                    entries.add(entry(dir, name.getFileName().toString()));
                } catch (Errno gone) {
                    // removed since the directory was read: not an entry any more
                }
            }
            return new Listing(entries, false);
        } finally {
            LinuxCalls.close(dir);
        }
    }

    /** An entry described by itself (statx of the name in the open directory, not following it). */
    private static Entry entry(int dir, String name) throws Errno {
        Stat stat = LinuxCalls.lstatAt(dir, name);
        String type = stat.isSymbolicLink() ? "link" : stat.isDirectory() ? "dir" : stat.isRegularFile() ? "file"
                : "other";
        return new Entry(name, type, stat.size(), stat.mtime().toInstant());
    }

    @Override
    public Head read(String path, int maxBytes) throws IOException {
        String relative = relative(path);
        int fd = open(relative, LinuxCalls.O_PATH, path);
        try {
            Stat stat = LinuxCalls.fstat(fd);
            if (stat.isDirectory()) {
                throw new IllegalArgumentException("'" + relative + "' is a directory, not a file");
            }
            if (!stat.isRegularFile()) {
                throw new AccessDeniedException(path, null, "'" + relative + "' is not a regular file (a pipe, "
                        + "device or socket); only files are shown");
            }
            if (stat.nlink() > 1 && !readsLinkedFiles) {
                throw new AccessDeniedException(path, null, WorkspaceRoot.linkedMessage(relative, false));
            }
            try (FileChannel channel = FileChannel.open(WorkspaceRoot.procPath(fd), StandardOpenOption.READ)) {
                ByteBuffer head = ByteBuffer.allocate((int) Math.min(maxBytes, Math.max(stat.size(), 0) + 1));
                while (head.hasRemaining() && channel.read(head) >= 0) {
                    // fill what the file has, up to the limit
                }
                return new Head(channel.size(), Arrays.copyOf(head.array(), head.position()));
            }
        } catch (Errno e) {
            throw failure(e, path, relative);
        } finally {
            LinuxCalls.close(fd);
        }
    }

    /** A workspace path as the kernel resolves it beneath the root: normalised, "" for the root. */
    private static String relative(String path) throws AccessDeniedException {
        Path normal;
        try {
            normal = Path.of(path.startsWith("/") ? path.substring(1) : path).normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + path + "' is not a valid path");
        }
        String relative = normal.toString();
        if (normal.isAbsolute() || relative.equals("..") || relative.startsWith("../")) {
            throw new AccessDeniedException(path, null, "'" + path + "' lies outside the workspace");
        }
        return relative;
    }

    private int open(String relative, int flags, String asked) throws IOException {
        try {
            return workspace().open(relative, flags, 0);
        } catch (Errno e) {
            throw failure(e, asked, relative);
        }
    }

    private static IOException failure(Errno e, String asked, String relative) {
        return switch (e.code) {
            case LinuxCalls.ENOENT -> new NoSuchFileException(asked);
            case LinuxCalls.ELOOP -> new AccessDeniedException(asked, null, "'" + relative
                    + "' is or passes through a symbolic link, which the workspace browser does not follow");
            case LinuxCalls.EXDEV -> new AccessDeniedException(asked, null, "'" + relative
                    + "' lies outside the workspace");
            case LinuxCalls.ENOTDIR -> new NotDirectoryException(asked);
            case LinuxCalls.EACCES, LinuxCalls.EPERM -> new AccessDeniedException(asked, null,
                    Errno.describe(e.code));
            default -> new FileSystemException(asked, null, Errno.describe(e.code));
        };
    }
}
