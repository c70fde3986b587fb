package io.boxagnts.sandbox;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.graalvm.polyglot.io.FileSystem;

/**
 * The only view of the host a tool module gets: the workspace, read-only or read-write. Every operation resolves its
 * path to the real path on disk (following symbolic links, or the real parent for a name that does not exist yet)
 * and refuses it unless that lies inside the workspace; files are then opened by their real path, so a link cannot
 * redirect an operation after the check. Links cannot be created at all, renames must stay inside, and a read-only
 * grant refuses every change. One instance serves one call, and caps the files it may hold open.
 */
final class WorkspaceFileSystem implements FileSystem {

    static final int MAX_OPEN_FILES = 256;

    private static final Set<StandardOpenOption> CHANGES = EnumSet.of(StandardOpenOption.APPEND,
            StandardOpenOption.CREATE, StandardOpenOption.CREATE_NEW, StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.DELETE_ON_CLOSE);

    private final FileSystem host = FileSystem.newDefaultFileSystem();
    private final Path root;
    private final boolean writable;
    private final AtomicInteger open = new AtomicInteger();
    /**
     * Real paths resolved during this call. GraalWasm reads each attribute of a file with a separate call (ten per
     * directory entry), and resolving the real path from the root each time made a directory walk 5-10x slower than
     * the same module under V8. Only this call's own changes can alter them (the guest cannot create links), so every
     * change it makes clears the cache.
     */
    private final Map<Path, Path> realPaths = new ConcurrentHashMap<>();
    /** Attributes read during this call, per real path; cleared with {@link #realPaths}, and by every write. */
    private final Map<AttributeKey, Map<String, Object>> attributeCache = new ConcurrentHashMap<>();
    /** The first operation this call was refused, in words: the likely cause when the tool then fails. */
    private final AtomicReference<String> firstDenial = new AtomicReference<>();

    /** @param root the workspace's real path */
    WorkspaceFileSystem(Path root, boolean writable) {
        this.root = root;
        this.writable = writable;
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

    @Override
    public Path toRealPath(Path path, LinkOption... options) throws IOException {
        Path real = host.toRealPath(toHost(path), options);
        requireInside(real, path);
        return real;
    }

    @Override
    public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... options) throws IOException {
        Path real = resolve(path, options);
        if (modes.contains(AccessMode.WRITE)) {
            requireWritable(path);
        }
        host.checkAccess(real, modes, options);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
            throws IOException {
        try {
            return attributes(resolve(path, options), attributes, options);
        } catch (OutsideWorkspaceException e) {
            // A link inside that points outside: describe the link itself, never its target. (A directory listing
            // stats every entry, and one such link must not make the whole listing fail.) Not a denial then.
            if (e.recorded != null) {
                firstDenial.compareAndSet(e.recorded, null);
            }
            return host.readAttributes(resolve(path, LinkOption.NOFOLLOW_LINKS), attributes, LinkOption.NOFOLLOW_LINKS);
        }
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        requireWritable(path);
        changed();
        host.setAttribute(resolve(path, options), attribute, value, options);
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
            FileAttribute<?>... attributes) throws IOException {
        boolean changes = options.stream().anyMatch(CHANGES::contains);
        if (changes) {
            requireWritable(path);
        }
        boolean creates = options.contains(StandardOpenOption.CREATE) || options.contains(StandardOpenOption.CREATE_NEW);
        if (changes) {
            changed();
        }
        Path real = creates && !Files.exists(path, LinkOption.NOFOLLOW_LINKS) ? resolveNew(path) : resolve(path);
        if (open.incrementAndGet() > MAX_OPEN_FILES) {
            open.decrementAndGet();
            throw new FileSystemException(path.toString(), null, "too many open files (limit " + MAX_OPEN_FILES + ")");
        }
        try {
            if (!writable && options.contains(StandardOpenOption.WRITE)) {
                // WASI runtimes open for read and write when the guest asks for both rights, even to only read:
                // serve the reads and refuse writes when they come.
                return new ReadOnlyChannel(host.newByteChannel(real, Set.of(StandardOpenOption.READ)), path);
            }
            return new CountedChannel(host.newByteChannel(real, options, attributes));
        } catch (IOException | RuntimeException e) {
            open.decrementAndGet();
            throw e;
        }
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        return host.newDirectoryStream(resolve(dir), filter);
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attributes) throws IOException {
        requireWritable(dir);
        changed();
        host.createDirectory(resolveNew(dir), attributes);
    }

    @Override
    public void delete(Path path) throws IOException {
        requireWritable(path);
        Path real = resolve(path, LinkOption.NOFOLLOW_LINKS);
        changed();
        host.delete(real);
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        requireWritable(source);
        Path realSource = resolve(source, LinkOption.NOFOLLOW_LINKS);
        Path realTarget = Files.exists(target, LinkOption.NOFOLLOW_LINKS)
                ? resolve(target, LinkOption.NOFOLLOW_LINKS) : resolveNew(target);
        changed();
        host.move(realSource, realTarget, options);
    }

    @Override
    public void createLink(Path link, Path existing) throws IOException {
        denied("create the hard link " + guestName(link) + ", which tools may not do");
        throw new AccessDeniedException(link.toString(), existing.toString(), "tools may not create hard links");
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attributes) throws IOException {
        denied("create the symbolic link " + guestName(link) + ", which tools may not do");
        throw new AccessDeniedException(link.toString(), target.toString(), "tools may not create symbolic links");
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        Path real = resolve(link, LinkOption.NOFOLLOW_LINKS);
        Path target = host.readSymbolicLink(real);
        requireInside(real.getParent().resolve(target).normalize(), link);
        return target;
    }

    /**
     * The real path of an existing file. With NOFOLLOW_LINKS the last element stays as it is (a link is then the
     * link itself, which lies where its real parent does).
     */
    private Path resolve(Path path, LinkOption... options) throws IOException {
        boolean noFollow = Arrays.asList(options).contains(LinkOption.NOFOLLOW_LINKS);
        Path absolute = toHost(path);
        Path real;
        if (noFollow && absolute.getParent() != null && absolute.getFileName() != null) {
            real = realPath(absolute.getParent()).resolve(absolute.getFileName());
        } else {
            real = realPath(absolute);
        }
        requireInside(real, path);
        return real;
    }

    /**
     * The host path meant by a path GraalWasm hands over. Most operations give host paths inside the workspace, but
     * GraalWasm 25 lists directories (fd_readdir) and stats them by their guest path ("/", "/src"): taken as host
     * paths those would reach the host's own "/" and "/src". A path outside the workspace is therefore read as the
     * guest path it is and placed under the workspace, before any link is followed; the real-path check that comes
     * next still refuses whatever leads outside.
     */
    private Path toHost(Path path) {
        Path absolute = host.toAbsolutePath(path).normalize();
        if (absolute.startsWith(root)) {
            return absolute;
        }
        return root.resolve(absolute.getRoot().relativize(absolute).toString()).normalize();
    }

    /** The real path a new file would get: its parent's real path and its name. */
    private Path resolveNew(Path path) throws IOException {
        Path absolute = toHost(path);
        if (absolute.getParent() == null || absolute.getFileName() == null) {
            throw new AccessDeniedException(path.toString(), null, "outside the workspace");
        }
        Path real = realPath(absolute.getParent()).resolve(absolute.getFileName());
        requireInside(real, path);
        return real;
    }

    private void requireInside(Path real, Path asked) throws IOException {
        if (!real.startsWith(root)) {
            String denial = "the tool tried to reach " + guestName(asked) + ", which leads outside the workspace";
            throw new OutsideWorkspaceException(asked, firstDenial.compareAndSet(null, denial) ? denial : null);
        }
    }

    /** What this call was refused first, if anything. */
    Optional<String> firstDenial() {
        return Optional.ofNullable(firstDenial.get());
    }

    private void denied(String what) {
        firstDenial.compareAndSet(null, "the tool tried to " + what);
    }

    /** A path as the guest knows it: relative to its root "/". */
    private String guestName(Path path) {
        Path host = toHost(path);
        return host.startsWith(root) ? "/" + root.relativize(host) : path.toString();
    }

    /**
     * Attributes of a resolved path. GraalWasm asks for one attribute per call, ten per directory entry; the first
     * request reads all of the "unix" view (a superset of "basic" and "posix") once, the rest are answered from it.
     */
    private Map<String, Object> attributes(Path real, String attributes, LinkOption... options) throws IOException {
        int colon = attributes.indexOf(':');
        String view = colon < 0 ? "basic" : attributes.substring(0, colon);
        String names = colon < 0 ? attributes : attributes.substring(colon + 1);
        if (!(view.equals("basic") || view.equals("posix") || view.equals("unix")) || names.contains("*")) {
            return host.readAttributes(real, attributes, options);
        }
        boolean noFollow = Arrays.asList(options).contains(LinkOption.NOFOLLOW_LINKS);
        Map<String, Object> all = attributeCache.get(new AttributeKey(real, noFollow));
        if (all == null) {
            try {
                all = host.readAttributes(real, "unix:*", options);
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                return host.readAttributes(real, attributes, options); // no unix view on this platform
            }
            attributeCache.put(new AttributeKey(real, noFollow), all);
        }
        Map<String, Object> answer = new java.util.HashMap<>();
        for (String name : names.split(",")) {
            if (!all.containsKey(name)) {
                return host.readAttributes(real, attributes, options);
            }
            answer.put(name, all.get(name));
        }
        return answer;
    }

    private record AttributeKey(Path path, boolean noFollow) {}

    /** Like {@code toRealPath}, remembered for this call. */
    private Path realPath(Path absolute) throws IOException {
        Path known = realPaths.get(absolute);
        if (known == null) {
            known = host.toRealPath(absolute);
            realPaths.put(absolute, known);
        }
        return known;
    }

    private void changed() {
        realPaths.clear();
        attributeCache.clear();
    }

    /** Said as "no such file": the guest learns nothing about the host beyond its workspace. */
    private static final class OutsideWorkspaceException extends NoSuchFileException {

        private static final long serialVersionUID = 1L;

        /** The denial this refusal recorded as the call's first, or null. */
        final transient String recorded;

        OutsideWorkspaceException(Path asked, String recorded) {
            super(asked.toString(), null, "outside the workspace");
            this.recorded = recorded;
        }
    }

    private void requireWritable(Path path) throws AccessDeniedException {
        if (!writable) {
            denied("change " + guestName(path) + " but has read-only access to the workspace");
            throw new AccessDeniedException(path.toString(), null, "the tool has read-only access to the workspace");
        }
    }

    /** Counts itself out of the open files when closed. */
    private class CountedChannel implements SeekableByteChannel {

        final SeekableByteChannel delegate;
        private boolean closed;

        CountedChannel(SeekableByteChannel delegate) {
            this.delegate = delegate;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return delegate.read(dst);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            changed();
            return delegate.write(src);
        }

        @Override
        public long position() throws IOException {
            return delegate.position();
        }

        @Override
        public SeekableByteChannel position(long newPosition) throws IOException {
            delegate.position(newPosition);
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

    /** A file opened for reading only, whatever the guest asked for. */
    private final class ReadOnlyChannel extends CountedChannel {

        private final Path path;

        ReadOnlyChannel(SeekableByteChannel delegate, Path path) {
            super(delegate);
            this.path = path;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            denied("write to " + guestName(path) + " but has read-only access to the workspace");
            throw new AccessDeniedException(path.toString(), null, "the tool has read-only access to the workspace");
        }

        @Override
        public SeekableByteChannel truncate(long size) throws IOException {
            throw new AccessDeniedException(path.toString(), null, "the tool has read-only access to the workspace");
        }
    }
}
