package io.boxagnts.sandbox;

import io.boxagnts.sandbox.LinuxCalls.Errno;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The workspace directory, opened once, and every path beneath it resolved by the kernel relative to that handle,
 * never following a link: with {@code openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)} where
 * the kernel has it (Linux 5.6+), else one {@code openat(O_NOFOLLOW)} per component. A name swapped for a link
 * between a check and the open cannot redirect the open, because there is no separate check: what is opened is what
 * the kernel found beneath this handle. On a platform with neither, {@link #open} fails and the sandbox does not
 * start (decision 0011).
 */
final class WorkspaceRoot implements AutoCloseable {

    /** How paths are resolved beneath the root. */
    enum Mechanism { OPENAT2, OPENAT_PER_COMPONENT }

    private static final int AT_FDCWD = -100;
    private static final long RESOLVE = LinuxCalls.RESOLVE_BENEATH | LinuxCalls.RESOLVE_NO_SYMLINKS
            | LinuxCalls.RESOLVE_NO_MAGICLINKS;
    private static final Path PROC_FDS = Path.of("/proc/self/fd");

    private final Path path;
    private final int fd;
    private final Mechanism mechanism;
    private final boolean readsLinkedFiles;

    private WorkspaceRoot(Path path, int fd, Mechanism mechanism, boolean readsLinkedFiles) {
        this.path = path;
        this.fd = fd;
        this.mechanism = mechanism;
        this.readsLinkedFiles = readsLinkedFiles;
    }

    /**
     * Opens the workspace with the best mechanism the platform has.
     *
     * @param readsLinkedFiles whether tools may read regular files that have other hard links
     * @throws IOException if the platform offers no race-free resolution: the sandbox must not run then
     */
    static WorkspaceRoot open(Path workspace, boolean readsLinkedFiles) throws IOException {
        return open(workspace, readsLinkedFiles, null);
    }

    /** As {@link #open(Path, boolean)}, with a mechanism forced (null: the best available). For tests. */
    static WorkspaceRoot open(Path workspace, boolean readsLinkedFiles, Mechanism forced) throws IOException {
        Path real = workspace.toRealPath();
        int fd;
        try {
            if (!Files.isDirectory(PROC_FDS)) {
                throw new IOException("/proc/self/fd is missing");
            }
            fd = LinuxCalls.openat(AT_FDCWD, real.toString(), LinuxCalls.O_PATH | LinuxCalls.O_DIRECTORY
                    | LinuxCalls.O_CLOEXEC, 0);
        } catch (Errno e) {
            throw new IOException("cannot open the workspace " + real + ": " + e.getMessage());
        } catch (LinkageError | RuntimeException e) {
            // not Linux, an unknown architecture, or native access denied to this bundle
            throw new IOException("the sandbox needs Linux (x86_64 or aarch64) with the Foreign Function API "
                    + "enabled (--enable-native-access) to confine tools to the workspace; it will not run them "
                    + "unconfined: " + e, e);
        } catch (IOException e) {
            throw new IOException("the sandbox needs /proc to confine tools to the workspace: " + e.getMessage(), e);
        }
        Mechanism mechanism = forced != null ? forced : probe(fd);
        return new WorkspaceRoot(real, fd, mechanism, readsLinkedFiles);
    }

    /** openat2 where the kernel has it and lets us use it (a seccomp filter may answer ENOSYS or EPERM). */
    private static Mechanism probe(int root) {
        try {
            LinuxCalls.close(LinuxCalls.openat2(root, ".", LinuxCalls.O_PATH | LinuxCalls.O_CLOEXEC, 0, RESOLVE));
            return Mechanism.OPENAT2;
        } catch (Errno e) {
            return Mechanism.OPENAT_PER_COMPONENT;
        }
    }

    Path path() {
        return path;
    }

    Mechanism mechanism() {
        return mechanism;
    }

    boolean readsLinkedFiles() {
        return readsLinkedFiles;
    }

    /**
     * Opens {@code relative} ("" is the root itself) beneath the root, following no link on the way. A link as the
     * last component fails with ELOOP, unless {@code flags} hold {@code O_PATH | O_NOFOLLOW}: then the descriptor is
     * the link itself. The caller closes the descriptor.
     */
    int open(String relative, int flags, int mode) throws Errno {
        try {
            return resolve(relative, flags, mode);
        } catch (Errno e) {
            if (e.code == LinuxCalls.ENOTDIR && (flags & LinuxCalls.O_DIRECTORY) != 0 && isLink(relative)) {
                throw new Errno(LinuxCalls.ELOOP, "open"); // a directory asked for, a link found: say it is a link
            }
            throw e;
        }
    }

    private boolean isLink(String relative) {
        try {
            int fd = resolve(relative, LinuxCalls.O_PATH | LinuxCalls.O_NOFOLLOW, 0);
            try {
                return LinuxCalls.fstat(fd).isSymbolicLink();
            } finally {
                LinuxCalls.close(fd);
            }
        } catch (Errno e) {
            return false;
        }
    }

    private int resolve(String relative, int flags, int mode) throws Errno {
        int all = flags | LinuxCalls.O_CLOEXEC;
        if (mechanism == Mechanism.OPENAT2) {
            String path = relative.isEmpty() ? "." : relative;
            for (int attempt = 0; ; attempt++) {
                try {
                    return LinuxCalls.openat2(fd, path, all, mode, RESOLVE);
                } catch (Errno e) {
                    // EAGAIN: a rename elsewhere raced the resolution; the kernel asks for a retry
                    if (e.code != LinuxCalls.EAGAIN || attempt == 8) {
                        throw e;
                    }
                }
            }
        }
        return openPerComponent(relative, all, mode);
    }

    private int openPerComponent(String relative, int flags, int mode) throws Errno {
        String[] names = relative.isEmpty() ? new String[] {"."} : relative.split("/");
        int dir = fd;
        try {
            for (int i = 0; i < names.length - 1; i++) {
                int next = LinuxCalls.openat(dir, checked(names[i]), LinuxCalls.O_PATH | LinuxCalls.O_NOFOLLOW
                        | LinuxCalls.O_CLOEXEC, 0);
                closeUnlessRoot(dir);
                dir = next;
                LinuxCalls.Stat stat = LinuxCalls.fstat(dir);
                if (stat.isSymbolicLink()) {
                    throw new Errno(LinuxCalls.ELOOP, "openat");
                }
                if (!stat.isDirectory()) {
                    throw new Errno(LinuxCalls.ENOTDIR, "openat");
                }
            }
            String last = names[names.length - 1];
            int opened = LinuxCalls.openat(dir, last.equals(".") && names.length == 1 ? "." : checked(last),
                    flags | LinuxCalls.O_NOFOLLOW, mode);
            boolean wantsLink = (flags & LinuxCalls.O_PATH) != 0 && (flags & LinuxCalls.O_NOFOLLOW) != 0;
            if (!wantsLink && (flags & LinuxCalls.O_PATH) != 0) {
                LinuxCalls.Stat stat;
                try {
                    stat = LinuxCalls.fstat(opened);
                } catch (Errno e) {
                    LinuxCalls.close(opened);
                    throw e;
                }
                if (stat.isSymbolicLink()) {
                    LinuxCalls.close(opened);
                    throw new Errno(LinuxCalls.ELOOP, "openat");
                }
            }
            return opened;
        } finally {
            closeUnlessRoot(dir);
        }
    }

    /** A component as openat takes it: never "..", ".", or empty (normalised paths have none; refused anyway). */
    private static String checked(String name) throws Errno {
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw new Errno(LinuxCalls.EXDEV, "openat");
        }
        return name;
    }

    private void closeUnlessRoot(int dir) {
        if (dir != fd) {
            LinuxCalls.close(dir);
        }
    }

    /** Why a regular file with other hard links is not written, or not read: it may be a file outside. */
    static String linkedMessage(String name, boolean writes) {
        return writes
                ? "'" + name + "' has other hard links; writing through it could change a file outside the workspace"
                : "'" + name + "' has other hard links; reading it could reveal a file outside the workspace (an "
                        + "administrator may allow it: the sandbox setting readMultiplyLinkedFiles)";
    }

    /** The kernel's own name for an open descriptor: opening it reopens that very file, without a path lookup. */
    static Path procPath(int fd) {
        return PROC_FDS.resolve(Integer.toString(fd));
    }

    @Override
    public void close() {
        LinuxCalls.close(fd);
    }
}
