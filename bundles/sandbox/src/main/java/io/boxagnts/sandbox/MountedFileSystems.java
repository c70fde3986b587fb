package io.boxagnts.sandbox;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.graalvm.polyglot.io.FileSystem;

/**
 * Several directories for one {@code boxagnts tool run}, each through its own {@link WorkspaceFileSystem}.
 * GraalWasm's WASI hands the filesystem host paths (the guest path already translated through its preopened
 * directories), so each operation goes to the layer whose directory holds the path; the directories never overlap
 * (ToolRun refuses that), so there is exactly one. A path in none of them goes to the first, which confines it
 * beneath its own directory as it confines everything. A rename across two directories is refused, as a rename across
 * file systems is.
 */
final class MountedFileSystems implements FileSystem {

    /** The deepest directory first, so that the first match is the one that holds a path. */
    private final List<WorkspaceFileSystem> layers;
    private final WorkspaceFileSystem first;

    MountedFileSystems(List<WorkspaceFileSystem> layers) {
        this.first = layers.get(0);
        this.layers = layers.stream().sorted(Comparator.comparingInt(
                (WorkspaceFileSystem layer) -> layer.root().getNameCount()).reversed()).toList();
    }

    private WorkspaceFileSystem layer(Path path) {
        Path absolute = first.toAbsolutePath(path).normalize();
        for (WorkspaceFileSystem layer : layers) {
            if (absolute.startsWith(layer.root())) {
                return layer;
            }
        }
        return first;
    }

    @Override
    public Path parsePath(URI uri) {
        return first.parsePath(uri);
    }

    @Override
    public Path parsePath(String path) {
        return first.parsePath(path);
    }

    @Override
    public Path toAbsolutePath(Path path) {
        return first.toAbsolutePath(path);
    }

    @Override
    public Path toRealPath(Path path, LinkOption... options) throws IOException {
        return layer(path).toRealPath(path, options);
    }

    @Override
    public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... options) throws IOException {
        layer(path).checkAccess(path, modes, options);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
            throws IOException {
        return layer(path).readAttributes(path, attributes, options);
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        layer(path).setAttribute(path, attribute, value, options);
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
            FileAttribute<?>... attributes) throws IOException {
        return layer(path).newByteChannel(path, options, attributes);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        return layer(dir).newDirectoryStream(dir, filter);
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attributes) throws IOException {
        layer(dir).createDirectory(dir, attributes);
    }

    @Override
    public void delete(Path path) throws IOException {
        layer(path).delete(path);
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        WorkspaceFileSystem from = layer(source);
        if (from != layer(target)) {
            throw new FileSystemException(source.toString(), target.toString(), "not in the same mapped directory");
        }
        from.move(source, target, options);
    }

    @Override
    public void createLink(Path link, Path existing) throws IOException {
        layer(link).createLink(link, existing);
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attributes) throws IOException {
        layer(link).createSymbolicLink(link, target, attributes);
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        return layer(link).readSymbolicLink(link);
    }
}
