package io.boxagnts.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox's filesystem boundary, attacked the ways the WASI advisories describe. */
class WorkspaceFileSystemTest {

    @TempDir
    Path temp;

    private Path workspace;
    private Path outside;

    @BeforeEach
    void setUp() throws IOException {
        workspace = Files.createDirectories(temp.resolve("ws")).toRealPath();
        outside = Files.writeString(temp.resolve("secret.txt"), "secret").toRealPath();
        Files.writeString(workspace.resolve("a.txt"), "inside");
        Files.createSymbolicLink(workspace.resolve("escape"), outside);
        Files.createSymbolicLink(workspace.resolve("updir"), temp);
    }

    private WorkspaceFileSystem fs(boolean writable) {
        return new WorkspaceFileSystem(workspace, writable);
    }

    private static Set<StandardOpenOption> options(StandardOpenOption... options) {
        return Set.of(options);
    }

    @Test
    void filesInsideCanBeRead() throws IOException {
        try (SeekableByteChannel channel = fs(false).newByteChannel(workspace.resolve("a.txt"), options(StandardOpenOption.READ))) {
            ByteBuffer buffer = ByteBuffer.allocate(16);
            channel.read(buffer);
            assertEquals("inside", new String(buffer.array(), 0, buffer.position()));
        }
    }

    @Test
    void dotDotAndAbsolutePathsOutsideAreRefused() {
        WorkspaceFileSystem fs = fs(true);
        assertThrows(NoSuchFileException.class, () -> fs.newByteChannel(workspace.resolve("../secret.txt"), options(StandardOpenOption.READ)));
        assertThrows(NoSuchFileException.class, () -> fs.newByteChannel(outside, options(StandardOpenOption.READ)));
        assertThrows(NoSuchFileException.class, () -> fs.readAttributes(Path.of("/etc/passwd"), "size"));
        assertThrows(NoSuchFileException.class, () -> fs.newDirectoryStream(temp, p -> true));
    }

    @Test
    void symlinksPointingOutsideAreNotFollowed() throws IOException {
        WorkspaceFileSystem fs = fs(true);
        assertThrows(NoSuchFileException.class, () -> fs.newByteChannel(workspace.resolve("escape"), options(StandardOpenOption.READ)));
        assertThrows(NoSuchFileException.class, () -> fs.toRealPath(workspace.resolve("escape")));
        assertThrows(NoSuchFileException.class, () -> fs.newByteChannel(workspace.resolve("updir/secret.txt"), options(StandardOpenOption.READ)));
        assertThrows(NoSuchFileException.class, () -> fs.newByteChannel(workspace.resolve("updir/new.txt"),
                options(StandardOpenOption.WRITE, StandardOpenOption.CREATE)));
        assertThrows(NoSuchFileException.class, () -> fs.readSymbolicLink(workspace.resolve("escape")));
        // Its attributes are the link's own, not those of the file outside.
        assertEquals(Boolean.TRUE, fs.readAttributes(workspace.resolve("escape"), "isSymbolicLink").get("isSymbolicLink"));
    }

    @Test
    void aReadOnlyGrantRefusesEveryChange() throws IOException {
        WorkspaceFileSystem fs = fs(false);
        Path a = workspace.resolve("a.txt");
        assertThrows(AccessDeniedException.class, () -> fs.newByteChannel(workspace.resolve("new.txt"),
                options(StandardOpenOption.WRITE, StandardOpenOption.CREATE)));
        assertThrows(AccessDeniedException.class, () -> fs.newByteChannel(a, options(StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)));
        assertThrows(AccessDeniedException.class, () -> fs.delete(a));
        assertThrows(AccessDeniedException.class, () -> fs.createDirectory(workspace.resolve("d")));
        assertThrows(AccessDeniedException.class, () -> fs.move(a, workspace.resolve("b.txt")));
        // Opened for read and write, as WASI runtimes do: reads work, writes are refused.
        try (SeekableByteChannel channel = fs.newByteChannel(a, options(StandardOpenOption.READ, StandardOpenOption.WRITE))) {
            assertThrows(AccessDeniedException.class, () -> channel.write(ByteBuffer.wrap("x".getBytes())));
        }
        assertEquals("inside", Files.readString(a));
    }

    @Test
    void linksCannotBeCreatedAndRenamesStayInside() throws IOException {
        WorkspaceFileSystem fs = fs(true);
        Path a = workspace.resolve("a.txt");
        assertThrows(AccessDeniedException.class, () -> fs.createLink(workspace.resolve("hard"), outside));
        assertThrows(AccessDeniedException.class, () -> fs.createLink(workspace.resolve("hard"), a));
        assertThrows(AccessDeniedException.class, () -> fs.createSymbolicLink(workspace.resolve("s"), outside));
        assertThrows(NoSuchFileException.class, () -> fs.move(a, temp.resolve("stolen.txt")));
        assertThrows(NoSuchFileException.class, () -> fs.move(outside, workspace.resolve("brought.txt")));
        assertThrows(NoSuchFileException.class, () -> fs.move(a, workspace.resolve("updir/stolen.txt")));
        fs.move(a, workspace.resolve("b.txt"));
        assertTrue(Files.exists(workspace.resolve("b.txt")));
        assertTrue(Files.exists(outside));
    }

    @Test
    void theGuestRootListsTheWorkspaceNeverTheHostRoot() throws IOException {
        List<String> names = new ArrayList<>();
        try (var entries = fs(false).newDirectoryStream(Path.of("/"), p -> true)) {
            entries.forEach(p -> names.add(p.getFileName().toString()));
        }
        names.sort(null);
        assertEquals(List.of("a.txt", "escape", "updir"), names);
        Files.createDirectories(workspace.resolve("etc"));
        Files.writeString(workspace.resolve("etc/mine.txt"), "x");
        List<String> etc = new ArrayList<>();
        try (var entries = fs(false).newDirectoryStream(Path.of("/etc"), p -> true)) {
            entries.forEach(p -> etc.add(p.toString()));
        }
        assertEquals(List.of(workspace.resolve("etc/mine.txt").toString()), etc);
    }

    @Test
    void attributesFollowTheCallsOwnWrites() throws IOException {
        WorkspaceFileSystem fs = fs(true);
        Path a = workspace.resolve("a.txt");
        assertEquals(6L, fs.readAttributes(a, "size").get("size"));
        assertEquals(Boolean.TRUE, fs.readAttributes(a, "unix:isRegularFile").get("isRegularFile"));
        try (SeekableByteChannel channel = fs.newByteChannel(a, options(StandardOpenOption.WRITE, StandardOpenOption.APPEND))) {
            channel.write(ByteBuffer.wrap(" and more".getBytes()));
        }
        assertEquals(15L, fs.readAttributes(a, "size").get("size"));
        assertTrue(fs.readAttributes(a, "unix:ino").containsKey("ino"));
    }

    @Test
    void openFilesAreCapped() throws IOException {
        WorkspaceFileSystem fs = fs(false);
        List<SeekableByteChannel> open = new ArrayList<>();
        try {
            for (int i = 0; i < WorkspaceFileSystem.MAX_OPEN_FILES; i++) {
                open.add(fs.newByteChannel(workspace.resolve("a.txt"), options(StandardOpenOption.READ)));
            }
            FileSystemException e = assertThrows(FileSystemException.class,
                    () -> fs.newByteChannel(workspace.resolve("a.txt"), options(StandardOpenOption.READ)));
            assertTrue(e.getMessage().contains("too many open files"), e.getMessage());
            open.remove(0).close();
            open.add(fs.newByteChannel(workspace.resolve("a.txt"), options(StandardOpenOption.READ)));
        } finally {
            for (SeekableByteChannel channel : open) {
                channel.close();
            }
        }
    }
}
