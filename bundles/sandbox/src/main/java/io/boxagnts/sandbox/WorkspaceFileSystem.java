package io.boxagnts.sandbox;

import io.boxagnts.sandbox.LinuxCalls.Errno;
import io.boxagnts.sandbox.LinuxCalls.Stat;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.graalvm.polyglot.io.FileSystem;

/**
 * The only view of the host a tool module gets: the workspace, read-only or read-write. Every operation resolves its
 * path beneath the open workspace handle ({@link WorkspaceRoot}) without following any link, and works on what the
 * kernel found there: a file is opened once, checked (a regular file, no other hard links) and then read or written
 * through that same open file; names are created, removed and renamed relative to their parent directory's handle.
 * Nothing is checked by name and then opened by name again, so swapping a link in between achieves nothing. Links
 * cannot be created, pipes, devices and sockets are not opened, and a read-only grant refuses every change. One
 * instance serves one call, and caps the files it may hold open.
 */
final class WorkspaceFileSystem implements FileSystem {

    static final int MAX_OPEN_FILES = 256;

    private static final Set<StandardOpenOption> CHANGES = EnumSet.of(StandardOpenOption.APPEND,
            StandardOpenOption.CREATE, StandardOpenOption.CREATE_NEW, StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.DELETE_ON_CLOSE);
    /** What the kernel already did (created the file) or we do not offer, dropped when the open file is reopened. */
    private static final Set<StandardOpenOption> NOT_REOPENED = EnumSet.of(StandardOpenOption.CREATE,
            StandardOpenOption.CREATE_NEW, StandardOpenOption.DELETE_ON_CLOSE);

    private final FileSystem host = FileSystem.newDefaultFileSystem();
    private final WorkspaceRoot workspace;
    private final Path root;
    private final String rootName;
    private final boolean writable;
    private final AtomicInteger open = new AtomicInteger();
    /**
     * Attributes read during this call, per path. GraalWasm reads each attribute of a file with a separate call (ten
     * per directory entry); the first reads them all, the rest are answered from here. Cleared by every change this
     * call makes.
     */
    private final Map<AttributeKey, Stat> attributeCache = new ConcurrentHashMap<>();
    /**
     * The directories listed during this call, each with its entries' names. GraalWasm lists a directory again for
     * every fd_readdir of it, and a walk asks every directory for .gitignore, .ignore and .git, which are mostly not
     * there: a listing answers both without a system call. Cleared by every change this call makes; what another
     * process creates meanwhile is not seen by this call, as if the call had run a moment earlier.
     */
    private final Map<Path, Listing> listings = new ConcurrentHashMap<>();
    /** The first operation this call was refused, in words: the likely cause when the tool then fails. */
    private final AtomicReference<String> firstDenial = new AtomicReference<>();

    WorkspaceFileSystem(WorkspaceRoot workspace, boolean writable) {
        this.workspace = workspace;
        this.root = workspace.path();
        this.rootName = root.toString();
        this.writable = writable;
    }

    /** The workspace directory this layer confines to. */
    Path root() {
        return root;
    }

    @Override
    public Path parsePath(URI uri) {
        return host.parsePath(uri);
    }

    @Override
    public Path parsePath(String path) {
        return host.parsePath(path);
    }

    @Override
    public Path toAbsolutePath(Path path) {
        return host.toAbsolutePath(path);
    }

    /**
     * Real already: the path has no links (none is followed) and no "..". It must exist, and not through a link: known
     * from this call's attributes when it has them (a listing has stat-ed every entry; GraalWasm asks this before
     * every open), else looked up.
     */
    @Override
    public Path toRealPath(Path path, LinkOption... options) throws IOException {
        Path host = toHost(path);
        if (!knownNotLink(host, noFollow(options))) {
            LinuxCalls.close(openPath(path, noFollow(options)));
        }
        return host;
    }

    /**
     * An existence check (no modes) is answered from this call's attributes when they say the path is there and is
     * no link; anything else is looked up. Only a hint either way: every open resolves the path in the kernel again.
     */
    @Override
    public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... options) throws IOException {
        if (modes.contains(AccessMode.WRITE)) {
            requireWritable(path);
        }
        Path onHost = toHost(path);
        if (modes.isEmpty() && knownNotLink(onHost, noFollow(options))) {
            return;
        }
        if (knownMissing(onHost)) {
            throw new MissingFileException(path.toString());
        }
        int fd = openPath(path, noFollow(options));
        try {
            if (!modes.isEmpty() && !LinuxCalls.fstat(fd).isSymbolicLink()) {
                host.checkAccess(WorkspaceRoot.procPath(fd), modes);
            }
        } catch (Errno e) {
            throw failure(e, path);
        } finally {
            LinuxCalls.close(fd);
        }
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
            throws IOException {
        int colon = attributes.indexOf(':');
        String view = colon < 0 ? "basic" : attributes.substring(0, colon);
        String names = colon < 0 ? attributes : attributes.substring(colon + 1);
        if (!(view.equals("basic") || view.equals("posix") || view.equals("unix"))) {
            throw new UnsupportedOperationException("the attribute view " + view);
        }
        Stat stat = unixAttributes(path, noFollow(options));
        if (names.equals("*")) {
            return UnixAttributes.of(stat);
        }
        Map<String, Object> answer = new HashMap<>();
        for (String name : names.split(",")) {
            answer.put(name, UnixAttributes.get(stat, name));
        }
        return answer;
    }

    /**
     * All of the "unix" view (a superset of "basic" and "posix", without owner names), read once per call and path.
     * A link is described by itself, never by its target: a directory listing stats every entry, and one link must
     * not make the whole listing fail. Not a denial then.
     */
    private Stat unixAttributes(Path path, boolean noFollow) throws IOException {
        Path host = toHost(path);
        AttributeKey key = new AttributeKey(host, noFollow);
        Stat all = cachedAttributes(host, noFollow);
        if (all == null) {
            if (knownMissing(host)) {
                throw new MissingFileException(path.toString());
            }
            Stat stat;
            try {
                stat = stat(relative(host), noFollow);
            } catch (Errno e) {
                if (e.code != LinuxCalls.ELOOP || noFollow) {
                    throw failure(e, path);
                }
                try {
                    stat = stat(relative(host), true);
                } catch (Errno again) {
                    throw failure(again, path);
                }
            }
            all = stat;
            attributeCache.put(key, all);
        }
        return all;
    }

    /**
     * This call's attributes of the path, if read: asked for as they were, or asked for the other way round when the
     * path is no link (then following it or not makes no difference). The entries of a listed directory were read
     * without following links.
     */
    private Stat cachedAttributes(Path host, boolean noFollow) {
        Stat all = attributeCache.get(new AttributeKey(host, noFollow));
        if (all == null) {
            Stat other = attributeCache.get(new AttributeKey(host, !noFollow));
            if (other != null && !other.isSymbolicLink()) {
                return other;
            }
            Stat listed = listed(host);
            if (listed != null && (noFollow || !listed.isSymbolicLink())) {
                return listed;
            }
        }
        return all;
    }

    /** The attributes of the path in its parent's listing, if this call listed that directory and found it there. */
    private Stat listed(Path host) {
        Path parent = host.getParent();
        Listing listing = parent == null ? null : listings.get(parent);
        return listing == null ? null : listing.entries().get(host.getFileName().toString());
    }

    /**
     * Whether a directory this call listed lacks the path's first component below it, so the path is not there. Only
     * a hint, like the attributes: an open still resolves the path in the kernel.
     */
    private boolean knownMissing(Path host) {
        for (Path name = host, parent = host.getParent(); parent != null && parent.startsWith(root);
                name = parent, parent = parent.getParent()) {
            Listing listing = listings.get(parent);
            if (listing != null) {
                return !listing.entries().containsKey(name.getFileName().toString());
            }
        }
        return false;
    }

    /** Whether this call has already seen the path there, and not as a link. */
    private boolean knownNotLink(Path host, boolean noFollow) {
        Stat all = cachedAttributes(host, noFollow);
        return all != null && !all.isSymbolicLink();
    }

    private Stat stat(String relative, boolean noFollow) throws Errno {
        int fd = workspace.open(relative, LinuxCalls.O_PATH | (noFollow ? LinuxCalls.O_NOFOLLOW : 0), 0);
        try {
            return LinuxCalls.fstat(fd);
        } finally {
            LinuxCalls.close(fd);
        }
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        requireWritable(path);
        changed();
        int fd = openPath(path, noFollow(options));
        try {
            Stat stat = LinuxCalls.fstat(fd);
            if (!stat.isRegularFile() && !stat.isDirectory()) {
                throw special(path);
            }
            refuseLinked(stat, path, true);
            host.setAttribute(WorkspaceRoot.procPath(fd), attribute, value);
        } catch (Errno e) {
            throw failure(e, path);
        } finally {
            LinuxCalls.close(fd);
        }
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
            FileAttribute<?>... attributes) throws IOException {
        boolean changes = options.stream().anyMatch(CHANGES::contains);
        if (changes) {
            requireWritable(path);
            changed();
        }
        if (open.incrementAndGet() > MAX_OPEN_FILES) {
            open.decrementAndGet();
            throw new FileSystemException(path.toString(), null, "too many open files (limit " + MAX_OPEN_FILES + ")");
        }
        try {
            return openChannel(path, options);
        } catch (IOException | RuntimeException e) {
            open.decrementAndGet();
            throw e;
        }
    }

    /**
     * Opens the file beneath the root (creating it if asked: O_EXCL, so an existing name is never opened by the
     * create), checks what was opened, and only then reopens that same open file for reading or writing through
     * /proc/self/fd, truncating it if asked. A pipe or device is opened with O_PATH only: never for I/O, so it cannot
     * block.
     */
    private SeekableByteChannel openChannel(Path path, Set<? extends OpenOption> options) throws IOException {
        String relative = relative(toHost(path));
        boolean createNew = options.contains(StandardOpenOption.CREATE_NEW);
        boolean create = createNew || options.contains(StandardOpenOption.CREATE);
        int fd;
        try {
            fd = createNew ? createFile(relative) : existingOrCreated(relative, create);
        } catch (Errno e) {
            throw failure(e, path);
        }
        try {
            Stat stat = LinuxCalls.fstat(fd);
            boolean writes = options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
            boolean changesContent = options.contains(StandardOpenOption.APPEND)
                    || options.contains(StandardOpenOption.TRUNCATE_EXISTING);
            if (stat.isDirectory()) {
                if (writes) {
                    throw new FileSystemException(path.toString(), null, "is a directory");
                }
            } else if (!stat.isRegularFile()) {
                throw special(path);
            }
            refuseLinked(stat, path, changesContent);
            Path reopened = WorkspaceRoot.procPath(fd);
            if (writes && !writable) {
                // WASI runtimes open for read and write when the guest asks for both rights, even to only read:
                // serve the reads and refuse writes when they come.
                return new ReadOnlyChannel(FileChannel.open(reopened, StandardOpenOption.READ), () -> {
                    denied("the tool tried to write to " + guestName(path)
                            + " but has read-only access to the workspace");
                    return new AccessDeniedException(path.toString(), null,
                            "the tool has read-only access to the workspace");
                });
            }
            if (writes && stat.isRegularFile() && stat.nlink() > 1) {
                // readable (refuseLinked let it through), so serve the reads; its writes would go outside too
                return new ReadOnlyChannel(FileChannel.open(reopened, StandardOpenOption.READ),
                        () -> linkedDenial(path, true));
            }
            Set<OpenOption> reopen = new java.util.HashSet<>();
            for (OpenOption option : options) {
                if (option instanceof StandardOpenOption standard && !NOT_REOPENED.contains(standard)) {
                    reopen.add(option);
                }
            }
            return new CountedChannel(FileChannel.open(reopened, reopen), options.contains(StandardOpenOption.APPEND));
        } catch (Errno e) {
            throw failure(e, path);
        } finally {
            LinuxCalls.close(fd);
        }
    }

    /** An O_PATH handle of the existing file, or a file created now if asked and there was none. */
    private int existingOrCreated(String relative, boolean create) throws Errno {
        try {
            return workspace.open(relative, LinuxCalls.O_PATH, 0);
        } catch (Errno e) {
            if (e.code != LinuxCalls.ENOENT || !create) {
                throw e;
            }
        }
        try {
            return createFile(relative);
        } catch (Errno e) {
            if (e.code != LinuxCalls.EEXIST) {
                throw e;
            }
            return workspace.open(relative, LinuxCalls.O_PATH, 0); // created meanwhile by someone else
        }
    }

    private int createFile(String relative) throws Errno {
        return workspace.open(relative, LinuxCalls.O_CREAT | LinuxCalls.O_EXCL | LinuxCalls.O_WRONLY
                | LinuxCalls.O_NONBLOCK | LinuxCalls.O_NOCTTY, 0666);
    }

    /**
     * A regular file with other hard links may be the same file as one outside the workspace: never written through
     * the workspace, and read only if the administrator allows it.
     */
    private void refuseLinked(Stat stat, Path path, boolean writes) throws AccessDeniedException {
        if (stat.isRegularFile() && stat.nlink() > 1 && (writes || !workspace.readsLinkedFiles())) {
            throw linkedDenial(path, writes);
        }
    }

    private AccessDeniedException linkedDenial(Path path, boolean writes) {
        String message = WorkspaceRoot.linkedMessage(guestName(path).substring(1), writes);
        firstDenial.compareAndSet(null, message);
        return new AccessDeniedException(path.toString(), null, message);
    }

    private AccessDeniedException special(Path path) {
        denied("the tool tried to open " + guestName(path)
                + ", which is not a regular file (a pipe, device or socket); tools may open files and directories only");
        return new AccessDeniedException(path.toString(), null, "not a regular file");
    }

    /**
     * Lists the directory once per call, and stats each entry on the directory just opened (one statx by name, not a
     * path resolution from the root per entry), so that the attributes GraalWasm then asks for every entry, and the
     * existence checks before each open, are answered from this call's listings.
     */
    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        Path base = toHost(dir);
        Iterator<String> names = listing(dir, base).entries().keySet().iterator();
        return new DirectoryStream<>() {
            @Override
            public Iterator<Path> iterator() {
                return new Iterator<>() {
                    private Path next = advance();

                    private Path advance() {
                        while (names.hasNext()) {
                            Path entry = base.resolve(names.next());
                            try {
                                if (filter.accept(entry)) {
                                    return entry;
                                }
                            } catch (IOException e) {
                                throw new DirectoryIteratorException(e);
                            }
                        }
                        return null;
                    }

                    @Override
                    public boolean hasNext() {
                        return next != null;
                    }

                    @Override
                    public Path next() {
                        if (next == null) {
                            throw new NoSuchElementException();
                        }
                        Path entry = next;
                        next = advance();
                        return entry;
                    }
                };
            }

            @Override
            public void close() {
                // the listing was read whole when the stream was made
            }
        };
    }

    /**
     * The directory's entries with their attributes as the kernel gave them: this call's listing of it, made now if
     * there is none yet.
     */
    private Listing listing(Path dir, Path base) throws IOException {
        Listing listing = listings.get(base);
        if (listing == null) {
            listing = list(dir, base);
            listings.put(base, listing);
        }
        return listing;
    }

    private Listing list(Path dir, Path base) throws IOException {
        Map<String, Stat> entries = new LinkedHashMap<>();
        try {
            // opened for reading beneath the root like any path, no link followed; read through that descriptor,
            // whatever its name leads to by now
            int fd = workspace.open(relative(base), LinuxCalls.O_RDONLY | LinuxCalls.O_DIRECTORY
                    | LinuxCalls.O_NOFOLLOW, 0);
            try {
                LinuxCalls.listAt(fd, entries::put);
            } finally {
                LinuxCalls.close(fd);
            }
        } catch (Errno e) {
            throw failure(e, dir);
        }
        return new Listing(entries);
    }

    /**
     * A directory's entries, in the order the kernel gave them, each with its attributes (lstat: a link is described
     * by itself). These are the attributes this call has of every listed entry: they are looked up here by the
     * entry's parent and name, so a listing makes no path object per entry.
     */
    record Listing(Map<String, Stat> entries) {}

    /**
     * The directory at {@code relative} beneath the root ("" is the root; components joined by "/", none empty, "."
     * or "..": the caller has checked), listed with every entry's attributes: what {@code boxagnts.read_dir} answers
     * in one host call ({@link ReadDirImport}). The same listing, caches and refusals as WASI's: the directory is
     * opened beneath the root following no link (a link on the way is refused and noted as this call's denial), the
     * attributes and existence checks GraalWasm asks for afterwards are answered from this call's cache, and a
     * listing this call already made is given again.
     *
     * @throws NoSuchFileException when it is not there, also when its path leaves the workspace or crosses a link
     *     ({@link #isRefusal} tells those apart)
     * @throws NotDirectoryException when it is not a directory
     */
    Listing listing(String relative) throws IOException {
        Path base = relative.isEmpty() ? root : root.resolve(relative);
        return listing(base, base);
    }

    /** Whether an exception of this layer means the sandbox refused the path (outside, or through a link). */
    static boolean isRefusal(IOException e) {
        return e instanceof OutsideWorkspaceException || e instanceof AccessDeniedException;
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attributes) throws IOException {
        requireWritable(dir);
        changed();
        try (Parent parent = parent(dir)) {
            LinuxCalls.mkdirat(parent.fd(), parent.name(), 0777);
        } catch (Errno e) {
            throw failure(e, dir);
        }
    }

    @Override
    public void delete(Path path) throws IOException {
        requireWritable(path);
        changed();
        try (Parent parent = parent(path)) {
            try {
                LinuxCalls.unlinkat(parent.fd(), parent.name(), 0);
            } catch (Errno e) {
                if (e.code != LinuxCalls.EISDIR) {
                    throw e;
                }
                LinuxCalls.unlinkat(parent.fd(), parent.name(), LinuxCalls.AT_REMOVEDIR);
            }
        } catch (Errno e) {
            throw failure(e, path);
        }
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        requireWritable(source);
        changed();
        boolean replace = Arrays.asList(options).contains(StandardCopyOption.REPLACE_EXISTING);
        try (Parent from = parent(source); Parent to = parent(target)) {
            try {
                LinuxCalls.renameat2(from.fd(), from.name(), to.fd(), to.name(),
                        replace ? 0 : LinuxCalls.RENAME_NOREPLACE);
            } catch (Errno e) {
                if (e.code != LinuxCalls.EINVAL || replace) {
                    throw e;
                }
                // a filesystem without RENAME_NOREPLACE: look, then rename (both names stay beneath the root)
                if (exists(relative(toHost(target)))) {
                    throw new Errno(LinuxCalls.EEXIST, "renameat2");
                }
                LinuxCalls.renameat2(from.fd(), from.name(), to.fd(), to.name(), 0);
            }
        } catch (Errno e) {
            throw e.code == LinuxCalls.ENOENT ? failure(e, source) : failure(e, target);
        }
    }

    private boolean exists(String relative) throws Errno {
        try {
            LinuxCalls.close(workspace.open(relative, LinuxCalls.O_PATH | LinuxCalls.O_NOFOLLOW, 0));
            return true;
        } catch (Errno e) {
            if (e.code == LinuxCalls.ENOENT) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void createLink(Path link, Path existing) throws IOException {
        denied("the tool tried to create the hard link " + guestName(link) + ", which tools may not do");
        throw new AccessDeniedException(link.toString(), existing.toString(), "tools may not create hard links");
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attributes) throws IOException {
        denied("the tool tried to create the symbolic link " + guestName(link) + ", which tools may not do");
        throw new AccessDeniedException(link.toString(), target.toString(), "tools may not create symbolic links");
    }

    /**
     * What a link in the workspace says: its own content, so it is given. The sandbox never follows it; one that
     * leads outside is noted as the likely reason when the tool then fails.
     */
    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        String target;
        try (Parent parent = parent(link)) {
            target = LinuxCalls.readlinkat(parent.fd(), parent.name());
        } catch (Errno e) {
            throw failure(e, link);
        }
        Path host = toHost(link);
        if (target.startsWith("/") || !host.getParent().resolve(target).normalize().startsWith(root)) {
            denied("the tool tried to follow " + guestName(link) + ", a symbolic link that leads outside the "
                    + "workspace; the sandbox follows no links");
        }
        return host.getFileSystem().getPath(target);
    }

    /** The open parent directory of a name, and the name. */
    private record Parent(int fd, String name) implements AutoCloseable {
        @Override
        public void close() {
            LinuxCalls.close(fd);
        }
    }

    private Parent parent(Path path) throws IOException, Errno {
        String relative = relative(toHost(path));
        if (relative.isEmpty()) {
            denied("the tool tried to change the workspace directory itself");
            throw new AccessDeniedException(path.toString(), null, "the workspace directory itself");
        }
        int slash = relative.lastIndexOf('/');
        int fd = workspace.open(slash < 0 ? "" : relative.substring(0, slash),
                LinuxCalls.O_PATH | LinuxCalls.O_DIRECTORY, 0);
        return new Parent(fd, relative.substring(slash + 1));
    }

    /** An O_PATH handle of an existing file beneath the root; with noFollow a link is the link itself. */
    private int openPath(Path path, boolean noFollow) throws IOException {
        try {
            return workspace.open(relative(toHost(path)), LinuxCalls.O_PATH | (noFollow ? LinuxCalls.O_NOFOLLOW : 0),
                    0);
        } catch (Errno e) {
            throw failure(e, path);
        }
    }

    /** What a failed call means for the guest, and the denial noted if it was one. */
    private IOException failure(Errno e, Path asked) {
        String file = asked.toString();
        return switch (e.code) {
            case LinuxCalls.ENOENT -> new MissingFileException(file);
            case LinuxCalls.ELOOP -> outside(asked, "the tool tried to reach " + guestName(asked)
                    + " through a symbolic link; the sandbox follows no links");
            case LinuxCalls.EXDEV -> outside(asked, "the tool tried to reach " + guestName(asked)
                    + ", which lies outside the workspace");
            case LinuxCalls.EEXIST -> new FileAlreadyExistsException(file);
            case LinuxCalls.ENOTDIR -> new NotDirectoryException(file);
            case LinuxCalls.ENOTEMPTY -> new DirectoryNotEmptyException(file);
            case LinuxCalls.EACCES, LinuxCalls.EPERM -> new AccessDeniedException(file, null,
                    Errno.describe(e.code));
            default -> new FileSystemException(file, null, Errno.describe(e.code));
        };
    }

    private IOException outside(Path asked, String denial) {
        denied(denial);
        return new OutsideWorkspaceException(asked);
    }

    /**
     * The host path meant by a path GraalWasm hands over. Most operations give host paths inside the workspace, but
     * GraalWasm 25 lists directories (fd_readdir) and stats them by their guest path ("/", "/src"): taken as host
     * paths those would reach the host's own "/" and "/src". A path outside the workspace is therefore read as the
     * guest path it is and placed under the workspace; it is normalised first, so it has no ".." left.
     */
    private Path toHost(Path path) {
        Path absolute = host.toAbsolutePath(path);
        if (mayNeedNormalizing(absolute.toString())) {
            absolute = absolute.normalize();
        }
        if (absolute.startsWith(root)) {
            return absolute;
        }
        return root.resolve(absolute.getRoot().relativize(absolute).toString()).normalize();
    }

    /** Whether a path may have a "." or ".." component (a Path never has empty ones): most have neither. */
    private static boolean mayNeedNormalizing(String path) {
        return path.contains("/.");
    }

    /**
     * The path beneath the root, as the kernel resolves it: "" for the root itself. By text, because this runs for
     * every file a search touches and Path.relativize allocates a path per name.
     */
    private String relative(Path host) {
        String path = host.toString();
        if (path.length() == rootName.length()) {
            return "";
        }
        if (path.startsWith(rootName) && path.charAt(rootName.length()) == '/') {
            return path.substring(rootName.length() + 1);
        }
        return root.relativize(host).toString();
    }

    private static boolean noFollow(LinkOption... options) {
        return Arrays.asList(options).contains(LinkOption.NOFOLLOW_LINKS);
    }

    /** What this call was refused first, if anything. */
    Optional<String> firstDenial() {
        return Optional.ofNullable(firstDenial.get());
    }

    private void denied(String what) {
        firstDenial.compareAndSet(null, what);
    }

    /** A path as the guest knows it: relative to its root "/". */
    private String guestName(Path path) {
        return "/" + root.relativize(toHost(path));
    }

    private record AttributeKey(Path path, boolean noFollow) {}

    private void changed() {
        attributeCache.clear();
        listings.clear();
    }

    /**
     * ENOENT for the guest. Without a stack trace: it only becomes an errno, and tools probe for files that are not
     * there all the time (a search asks every directory for its .gitignore and .ignore), where filling in the deep
     * Truffle stack was a third of the memory a glob allocated.
     */
    private static class MissingFileException extends NoSuchFileException {

        private static final long serialVersionUID = 1L;

        MissingFileException(String file) {
            super(file);
        }

        MissingFileException(String file, String reason) {
            super(file, null, reason);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /** Said as "no such file": the guest learns nothing about the host beyond its workspace. */
    private static final class OutsideWorkspaceException extends MissingFileException {

        private static final long serialVersionUID = 1L;

        OutsideWorkspaceException(Path asked) {
            super(asked.toString(), "outside the workspace");
        }
    }

    private void requireWritable(Path path) throws AccessDeniedException {
        if (!writable) {
            denied("the tool tried to change " + guestName(path) + " but has read-only access to the workspace");
            throw new AccessDeniedException(path.toString(), null, "the tool has read-only access to the workspace");
        }
    }

    /** The "unix" attribute view of a stat, with the types Java's own view uses. */
    private static final class UnixAttributes {

        private UnixAttributes() {
        }

        static final List<String> NAMES = List.of("size", "lastModifiedTime", "lastAccessTime", "creationTime",
                "isRegularFile", "isDirectory", "isSymbolicLink", "isOther", "fileKey", "permissions", "mode", "ino",
                "dev", "rdev", "nlink", "uid", "gid", "ctime");

        static Map<String, Object> of(Stat stat) {
            Map<String, Object> all = new HashMap<>();
            for (String name : NAMES) {
                all.put(name, get(stat, name));
            }
            return all;
        }

        /** One attribute, made when asked for: GraalWasm asks two or three of each entry a listing has. */
        static Object get(Stat stat, String name) {
            return switch (name) {
                case "size" -> stat.size();
                case "lastModifiedTime" -> stat.mtime();
                case "lastAccessTime" -> stat.atime();
                case "creationTime" -> stat.btime();
                case "isRegularFile" -> stat.isRegularFile();
                case "isDirectory" -> stat.isDirectory();
                case "isSymbolicLink" -> stat.isSymbolicLink();
                case "isOther" -> !stat.isRegularFile() && !stat.isDirectory() && !stat.isSymbolicLink();
                case "fileKey" -> new FileKey(stat.dev(), stat.ino());
                case "permissions" -> permissions(stat.mode());
                case "mode" -> stat.mode();
                case "ino" -> stat.ino();
                case "dev" -> stat.dev();
                case "rdev" -> stat.rdev();
                case "nlink" -> stat.nlink();
                case "uid" -> stat.uid();
                case "gid" -> stat.gid();
                case "ctime" -> stat.ctime();
                default -> throw new IllegalArgumentException("the attribute " + name + " is not offered");
            };
        }

        private static Set<PosixFilePermission> permissions(int mode) {
            Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
            PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
            for (int bit = 0; bit < order.length; bit++) {
                if ((mode & (1 << bit)) != 0) {
                    set.add(order[bit]);
                }
            }
            return set;
        }
    }

    private record FileKey(long dev, long ino) {}

    /**
     * Counts itself out of the open files when closed, and knows its position: the file is changed only through this
     * channel's own reads, writes and seeks, so asking the kernel (an lseek; Rust's read_to_end asks once or twice per
     * file, and a search reads thousands) is needed only when writes append.
     */
    private class CountedChannel implements SeekableByteChannel {

        final SeekableByteChannel delegate;
        private final boolean appends;
        private long position;
        private boolean closed;

        CountedChannel(SeekableByteChannel delegate, boolean appends) {
            this.delegate = delegate;
            this.appends = appends;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            int read = delegate.read(dst);
            if (read > 0) {
                position += read;
            }
            return read;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            changed();
            int written = delegate.write(src);
            position += written;
            return written;
        }

        @Override
        public long position() throws IOException {
            return appends ? delegate.position() : position;
        }

        @Override
        public SeekableByteChannel position(long newPosition) throws IOException {
            delegate.position(newPosition);
            position = newPosition;
            return this;
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public SeekableByteChannel truncate(long size) throws IOException {
            changed();
            delegate.truncate(size);
            position = Math.min(position, size);
            return this;
        }

        @Override
        public boolean isOpen() {
            return delegate.isOpen();
        }

        @Override
        public synchronized void close() throws IOException {
            if (!closed) {
                closed = true;
                open.decrementAndGet();
            }
            delegate.close();
        }
    }

    /** A file opened for reading only, whatever the guest asked for; a write gets the refusal given. */
    private final class ReadOnlyChannel extends CountedChannel {

        private final java.util.function.Supplier<AccessDeniedException> refusal;

        ReadOnlyChannel(SeekableByteChannel delegate, java.util.function.Supplier<AccessDeniedException> refusal) {
            super(delegate, false);
            this.refusal = refusal;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            throw refusal.get();
        }

        @Override
        public SeekableByteChannel truncate(long size) throws IOException {
            throw refusal.get();
        }
    }
}
