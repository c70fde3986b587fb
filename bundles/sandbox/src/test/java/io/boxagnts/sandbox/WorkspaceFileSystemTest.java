package io.boxagnts.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.boxagnts.sandbox.WorkspaceRoot.Mechanism;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The sandbox's filesystem boundary, attacked the ways the WASI advisories describe, with both ways of resolving
 * paths (openat2, and openat per component where the kernel has no openat2).
 */
class WorkspaceFileSystemTest {

    @TempDir
    Path temp;

    private Path workspace;
    private Path outside;
    private final List<WorkspaceRoot> roots = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        workspace = Files.createDirectories(temp.resolve("ws")).toRealPath();
        outside = Files.writeString(temp.resolve("secret.txt"), "secret").toRealPath();
        Files.writeString(workspace.resolve("a.txt"), "inside");
        Files.createSymbolicLink(workspace.resolve("escape"), outside);
        Files.createSymbolicLink(workspace.resolve("updir"), temp);
    }

    @AfterEach
    void closeRoots() {
        roots.forEach(WorkspaceRoot::close);
    }

    private WorkspaceFileSystem fs(Mechanism mechanism, boolean writable) throws IOException {
        return fs(mechanism, writable, false);
    }

    private WorkspaceFileSystem fs(Mechanism mechanism, boolean writable, boolean readsLinked) throws IOException {
        WorkspaceRoot root = WorkspaceRoot.open(workspace, readsLinked, mechanism);
        roots.add(root);
        return new WorkspaceFileSystem(root, writable);
    }

    private static Set<StandardOpenOption> options(StandardOpenOption... options) {
        return Set.of(options);
    }

    private static String read(WorkspaceFileSystem fs, Path path) throws IOException {
        try (SeekableByteChannel channel = fs.newByteChannel(path, options(StandardOpenOption.READ))) {
            ByteBuffer buffer = ByteBuffer.allocate(64);
            channel.read(buffer);
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        }
    }

    private static void write(WorkspaceFileSystem fs, Path path, String text) throws IOException {
        try (SeekableByteChannel channel = fs.newByteChannel(path, options(StandardOpenOption.WRITE,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING))) {
            channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void thisKernelHasOpenat2() throws IOException {
        try (WorkspaceRoot root = WorkspaceRoot.open(workspace, false)) {
            assertEquals(Mechanism.OPENAT2, root.mechanism());
        }
    }

    @ParameterizedTest
    @EnumSource(Mechanism.class)
    void filesInsideCanBeReadAndWritten(Mechanism mechanism) throws IOException {
        WorkspaceFileSystem fs = fs(mechanism, true);
        assertEquals("inside", read(fs, workspace.resolve("a.txt")));
        fs.createDirectory(workspace.resolve("d"));
        write(fs, workspace.resolve("d/new.txt"), "new");
        assertEquals("new", Files.readString(workspace.resolve("d/new.txt")));
        write(fs, workspace.resolve("d/new.txt"), "x");
        assertEquals("x", read(fs, Path.of("/d/new.txt")));
        fs.move(workspace.resolve("d/new.txt"), workspace.resolve("moved.txt"));
        assertThrows(java.nio.file.FileAlreadyExistsException.class,
                () -> fs.move(workspace.resolve("moved.txt"), workspace.resolve("a.txt")));
        fs.move(workspace.resolve("moved.txt"), workspace.resolve("a.txt"), StandardCopyOption.REPLACE_EXISTING);
        assertEquals("x", Files.readString(workspace.resolve("a.txt")));
        fs.delete(workspace.resolve("d"));
        assertFalse(Files.exists(workspace.resolve("d")));
        assertEquals(workspace.resolve("a.txt"), fs.toRealPath(Path.of("/a.txt")));
    }

    @ParameterizedTest
    @EnumSource(Mechanism.class)
    void dotDotAndAbsolutePathsOutsideAreRefused(Mechanism mechanism) throws IOException {
        WorkspaceFileSystem fs = fs(mechanism, true);
        assertThrows(NoSuchFileException.class, () -> fs.newByteChannel(workspace.resolve("../secret.txt"), options(StandardOpenOption.READ)));
        assertThrows(NoSuchFileException.class, () -> fs.newByteChannel(outside, options(StandardOpenOption.READ)));
        assertThrows(NoSuchFileException.class, () -> fs.readAttributes(Path.of("/etc/passwd"), "size"));
        assertThrows(NoSuchFileException.class, () -> fs.newDirectoryStream(temp, p -> true));
    }

    @ParameterizedTest
    @EnumSource(Mechanism.class)
    void noLinkIsFollowedNotEvenDotDotAfterALink(Mechanism mechanism) throws IOException {
        WorkspaceFileSystem fs = fs(mechanism, true);
        Files.createDirectories(workspace.resolve("sub"));
        Files.createSymbolicLink(workspace.resolve("inside-link"), workspace.resolve("a.txt"));
        Files.createSymbolicLink(workspace.resolve("sub/deep"), temp);
        assertThrows(NoSuchFileException.class, () -> fs.newByteChannel(workspace.resolve("escape"), options(StandardOpenOption.READ)));
        assertThrows(NoSuchFileException.class, () -> fs.newByteChannel(workspace.resolve("inside-link"), options(StandardOpenOption.READ)));
        assertThrows(NoSuchFileException.class, () -> fs.toRealPath(workspace.resolve("escape")));
        assertThrows(NoSuchFileException.class, () -> fs.newByteChannel(workspace.resolve("updir/secret.txt"), options(StandardOpenOption.READ)));
        assertThrows(NoSuchFileException.class, () -> fs.newByteChannel(workspace.resolve("sub/deep/secret.txt"), options(StandardOpenOption.READ)));
        assertThrows(NoSuchFileException.class, () -> fs.newByteChannel(workspace.resolve("updir/new.txt"),
                options(StandardOpenOption.WRITE, StandardOpenOption.CREATE)));
        assertThrows(NoSuchFileException.class, () -> fs.newByteChannel(workspace.resolve("escape"),
                options(StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)));
        assertThrows(NoSuchFileException.class, () -> fs.newDirectoryStream(workspace.resolve("updir"), p -> true));
        assertThrows(NoSuchFileException.class, () -> fs.createDirectory(workspace.resolve("updir/planted")));
        // The link's own attributes and text are the workspace's: given, never those of the file outside.
        assertEquals(Boolean.TRUE, fs.readAttributes(workspace.resolve("escape"), "isSymbolicLink").get("isSymbolicLink"));
        assertEquals(outside.toString(), fs.readSymbolicLink(workspace.resolve("escape")).toString());
        assertTrue(fs.firstDenial().orElseThrow().contains("/escape"), fs.firstDenial().orElseThrow());
        assertEquals("secret", Files.readString(outside));
        assertFalse(Files.exists(temp.resolve("new.txt")) || Files.exists(temp.resolve("planted")));
    }

    @Test
    void anOutsideLinkIsReportedAsALinkThatLeadsOutside() throws IOException {
        WorkspaceFileSystem fs = fs(Mechanism.OPENAT2, false);
        fs.readSymbolicLink(workspace.resolve("escape"));
        assertEquals("the tool tried to follow /escape, a symbolic link that leads outside the workspace; the sandbox "
                + "follows no links", fs.firstDenial().orElseThrow());
        WorkspaceFileSystem again = fs(Mechanism.OPENAT2, false);
        assertThrows(NoSuchFileException.class, () -> read(again, workspace.resolve("escape")));
        assertEquals("the tool tried to reach /escape through a symbolic link; the sandbox follows no links",
                again.firstDenial().orElseThrow());
    }

    @ParameterizedTest
    @EnumSource(Mechanism.class)
    void aReadOnlyGrantRefusesEveryChange(Mechanism mechanism) throws IOException {
        WorkspaceFileSystem fs = fs(mechanism, false);
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

    @ParameterizedTest
    @EnumSource(Mechanism.class)
    void linksCannotBeCreatedAndRenamesStayInside(Mechanism mechanism) throws IOException {
        WorkspaceFileSystem fs = fs(mechanism, true);
        Path a = workspace.resolve("a.txt");
        assertThrows(AccessDeniedException.class, () -> fs.createLink(workspace.resolve("hard"), outside));
        assertThrows(AccessDeniedException.class, () -> fs.createLink(workspace.resolve("hard"), a));
        assertThrows(AccessDeniedException.class, () -> fs.createSymbolicLink(workspace.resolve("s"), outside));
        // A host path outside is read as the guest path it is: beneath the workspace, where it does not exist.
        assertThrows(NoSuchFileException.class, () -> fs.move(a, temp.resolve("sub/stolen.txt")));
        assertThrows(NoSuchFileException.class, () -> fs.move(outside, workspace.resolve("brought.txt")));
        assertThrows(NoSuchFileException.class, () -> fs.move(a, workspace.resolve("updir/stolen.txt")));
        assertThrows(NoSuchFileException.class, () -> fs.move(workspace.resolve("updir/secret.txt"), workspace.resolve("got.txt")));
        fs.move(a, workspace.resolve("b.txt"));
        assertTrue(Files.exists(workspace.resolve("b.txt")));
        assertTrue(Files.exists(outside));
        assertFalse(Files.exists(temp.resolve("stolen.txt")));
    }

    @ParameterizedTest
    @EnumSource(Mechanism.class)
    void aHardLinkedFileIsNeitherWrittenNorByDefaultRead(Mechanism mechanism) throws IOException {
        Files.createLink(workspace.resolve("hard.txt"), outside);
        WorkspaceFileSystem fs = fs(mechanism, true);
        Path hard = workspace.resolve("hard.txt");
        AccessDeniedException write = assertThrows(AccessDeniedException.class, () -> write(fs, hard, "PWNED"));
        assertEquals("'hard.txt' has other hard links; writing through it could change a file outside the workspace",
                write.getReason());
        assertEquals(write.getReason(), fs.firstDenial().orElseThrow());
        assertThrows(AccessDeniedException.class, () -> fs.newByteChannel(hard, options(StandardOpenOption.APPEND)));
        AccessDeniedException read = assertThrows(AccessDeniedException.class, () -> read(fs, hard));
        assertTrue(read.getReason().startsWith("'hard.txt' has other hard links; reading it"), read.getReason());
        assertThrows(AccessDeniedException.class, () -> fs.setAttribute(hard, "lastModifiedTime",
                java.nio.file.attribute.FileTime.fromMillis(0)));
        assertEquals("secret", Files.readString(outside));

        WorkspaceFileSystem allowed = fs(mechanism, true, true);
        assertEquals("secret", read(allowed, hard));
        try (SeekableByteChannel channel = allowed.newByteChannel(hard, options(StandardOpenOption.READ, StandardOpenOption.WRITE))) {
            assertThrows(AccessDeniedException.class, () -> channel.write(ByteBuffer.wrap("PWNED".getBytes())));
        }
        assertThrows(AccessDeniedException.class, () -> write(allowed, hard, "PWNED"));
        assertEquals("secret", Files.readString(outside));
        // Renaming or removing the name changes nothing outside.
        allowed.move(hard, workspace.resolve("renamed.txt"));
        allowed.delete(workspace.resolve("renamed.txt"));
        assertEquals("secret", Files.readString(outside));
    }

    @ParameterizedTest
    @EnumSource(Mechanism.class)
    @Timeout(value = 30, unit = TimeUnit.SECONDS) // a FIFO opened for reading would block this test forever
    void pipesSocketsAndDevicesAreNotOpened(Mechanism mechanism) throws Exception {
        Path fifo = workspace.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
        Path socket = workspace.resolve("socket");
        try (ServerSocketChannel server = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            WorkspaceFileSystem fs = fs(mechanism, true);
            for (Path special : List.of(fifo, socket)) {
                assertThrows(AccessDeniedException.class, () -> read(fs, special));
                assertThrows(AccessDeniedException.class, () -> write(fs, special, "x"));
                assertEquals(Boolean.TRUE, fs.readAttributes(special, "isOther").get("isOther"));
            }
            assertTrue(fs.firstDenial().orElseThrow().contains("not a regular file"), fs.firstDenial().orElseThrow());
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        assumeTrue(root, "creating a device node needs root");
        Path device = workspace.resolve("null");
        assertEquals(0, new ProcessBuilder("mknod", device.toString(), "c", "1", "3").inheritIO().start().waitFor());
        WorkspaceFileSystem fs = fs(mechanism, true);
        assertThrows(AccessDeniedException.class, () -> read(fs, device));
        assertThrows(AccessDeniedException.class, () -> write(fs, device, "x"));
    }

    @ParameterizedTest
    @EnumSource(Mechanism.class)
    void magicLinksAndVeryLongPathsAreRefused(Mechanism mechanism) throws IOException {
        Files.createSymbolicLink(workspace.resolve("proc-root"), Path.of("/proc/self/root"));
        Files.createSymbolicLink(workspace.resolve("proc-fd"), Path.of("/proc/self/fd"));
        WorkspaceFileSystem fs = fs(mechanism, true);
        assertThrows(NoSuchFileException.class, () -> read(fs, workspace.resolve("proc-root/etc/passwd")));
        assertThrows(NoSuchFileException.class, () -> fs.newDirectoryStream(workspace.resolve("proc-fd"), p -> true));
        String longName = "x".repeat(300);
        assertThrows(FileSystemException.class, () -> read(fs, workspace.resolve(longName)));
        String deep = String.join("/", java.util.Collections.nCopies(3000, "d"));
        assertThrows(FileSystemException.class, () -> read(fs, workspace.resolve(deep)));
    }

    @ParameterizedTest
    @EnumSource(Mechanism.class)
    void aNameFlippingBetweenAFileAndALinkOutNeverLeaksOrChangesTheOutside(Mechanism mechanism) throws Exception {
        Path flip = workspace.resolve("flip");
        Path outsideDir = Files.createDirectories(temp.resolve("outdir"));
        Files.writeString(outsideDir.resolve("x"), "secret");
        WorkspaceFileSystem fs = fs(mechanism, true);
        Flipper flipper = new Flipper(flip, outside, outsideDir);
        Thread thread = Thread.ofPlatform().start(flipper);
        int served = 0;
        try {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
            while (System.nanoTime() < end) {
                try {
                    assertFalse(read(fs, flip).contains("secret"), "read the file outside through the link");
                    served++;
                } catch (IOException refused) {
                    // refused or gone meanwhile: both fine
                }
                try {
                    write(fs, flip, "PWNED");
                } catch (IOException refused) {
                    // refused
                }
                try {
                    write(fs, flip.resolve("x"), "PWNED");
                } catch (IOException refused) {
                    // refused
                }
            }
        } finally {
            flipper.stop = true;
            thread.join();
        }
        assertEquals("secret", Files.readString(outside));
        assertEquals("secret", Files.readString(outsideDir.resolve("x")));
        assertTrue(served > 0, "the regular file was never read: the race did not run");
    }

    /** Flips a name between a regular file, a link to a file outside, a directory and a link to a directory outside. */
    private static final class Flipper implements Runnable {

        private final Path name;
        private final Path outsideFile;
        private final Path outsideDir;
        volatile boolean stop;

        Flipper(Path name, Path outsideFile, Path outsideDir) {
            this.name = name;
            this.outsideFile = outsideFile;
            this.outsideDir = outsideDir;
        }

        @Override
        public void run() {
            Path tmp = name.resolveSibling("flip.tmp");
            int round = 0;
            while (!stop) {
                try {
                    remove(tmp);
                    switch (round++ % 4) {
                        case 0 -> Files.writeString(tmp, "harmless");
                        case 1 -> Files.createSymbolicLink(tmp, outsideFile);
                        case 2 -> Files.writeString(Files.createDirectory(tmp).resolve("x"), "harmless");
                        default -> Files.createSymbolicLink(tmp, outsideDir);
                    }
                    if (Files.isDirectory(name, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        remove(name);
                    }
                    Files.move(tmp, name, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    // the reader created or removed something meanwhile: go on flipping
                }
            }
        }

        /** Removes a file, a link or a directory with its files (never following a link). */
        private static void remove(Path path) throws IOException {
            if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                try (var entries = Files.list(path)) {
                    for (Path entry : entries.toList()) {
                        Files.deleteIfExists(entry);
                    }
                }
            }
            Files.deleteIfExists(path);
        }
    }

    @ParameterizedTest
    @EnumSource(Mechanism.class)
    void theGuestRootListsTheWorkspaceNeverTheHostRoot(Mechanism mechanism) throws IOException {
        List<String> names = new ArrayList<>();
        try (var entries = fs(mechanism, false).newDirectoryStream(Path.of("/"), p -> true)) {
            entries.forEach(p -> names.add(p.getFileName().toString()));
        }
        names.sort(null);
        assertEquals(List.of("a.txt", "escape", "updir"), names);
        Files.createDirectories(workspace.resolve("etc"));
        Files.writeString(workspace.resolve("etc/mine.txt"), "x");
        List<String> etc = new ArrayList<>();
        try (var entries = fs(mechanism, false).newDirectoryStream(Path.of("/etc"), p -> true)) {
            entries.forEach(p -> etc.add(p.toString()));
        }
        assertEquals(List.of(workspace.resolve("etc/mine.txt").toString()), etc);
    }

    @ParameterizedTest
    @EnumSource(Mechanism.class)
    void attributesFollowTheCallsOwnWrites(Mechanism mechanism) throws IOException {
        WorkspaceFileSystem fs = fs(mechanism, true);
        Path a = workspace.resolve("a.txt");
        assertEquals(6L, fs.readAttributes(a, "size").get("size"));
        assertEquals(Boolean.TRUE, fs.readAttributes(a, "unix:isRegularFile").get("isRegularFile"));
        try (SeekableByteChannel channel = fs.newByteChannel(a, options(StandardOpenOption.WRITE, StandardOpenOption.APPEND))) {
            channel.write(ByteBuffer.wrap(" and more".getBytes()));
        }
        assertEquals(15L, fs.readAttributes(a, "size").get("size"));
        Object ino = fs.readAttributes(a, "unix:ino").get("ino");
        assertEquals(Files.getAttribute(a, "unix:ino"), ino);
        assertEquals(Files.getAttribute(a, "unix:dev"), fs.readAttributes(a, "unix:dev").get("dev"));
        assertEquals(Files.getAttribute(a, "unix:nlink"), fs.readAttributes(a, "unix:nlink").get("nlink"));
        assertEquals(Files.getLastModifiedTime(a), fs.readAttributes(a, "lastModifiedTime").get("lastModifiedTime"));
    }

    private static List<String> names(WorkspaceFileSystem fs, Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (var entries = fs.newDirectoryStream(dir, p -> true)) {
            entries.forEach(p -> names.add(p.getFileName().toString()));
        }
        names.sort(null);
        return names;
    }

    @ParameterizedTest
    @EnumSource(Mechanism.class)
    void aListingAnswersForItsEntriesUntilTheCallChangesSomething(Mechanism mechanism) throws IOException {
        Files.createDirectories(workspace.resolve("src"));
        Files.writeString(workspace.resolve("src/main.rs"), "fn main() {}");
        WorkspaceFileSystem fs = fs(mechanism, true);
        Path src = workspace.resolve("src");
        assertEquals(List.of("main.rs"), names(fs, src));
        // what a walk probes for in every directory it lists: not there, and nothing below a name not there either
        assertThrows(NoSuchFileException.class, () -> fs.checkAccess(src.resolve(".gitignore"), Set.of()));
        assertThrows(NoSuchFileException.class, () -> fs.readAttributes(src.resolve(".git/info/exclude"), "size"));
        assertEquals(12L, fs.readAttributes(src.resolve("main.rs"), "size").get("size"));
        // the listing is the call's view: another process's new file appears once the call changes something
        Files.writeString(workspace.resolve("src/lib.rs"), "pub fn f() {}");
        assertEquals(List.of("main.rs"), names(fs, src));
        write(fs, src.resolve("mod.rs"), "mod x;");
        assertEquals(List.of("lib.rs", "main.rs", "mod.rs"), names(fs, src));
        fs.checkAccess(src.resolve("lib.rs"), Set.of());
        // links are listed as links and still not followed
        names(fs, workspace);
        Path escape = workspace.resolve("escape");
        assertEquals(Boolean.TRUE, fs.readAttributes(escape, "isSymbolicLink", LinkOption.NOFOLLOW_LINKS)
                .get("isSymbolicLink"));
        assertThrows(IOException.class, () -> read(fs, escape));
    }

    @ParameterizedTest
    @EnumSource(Mechanism.class)
    void aLargeDirectoryIsListedWholeAcrossManyReadsWithEveryEntrysTypeAndSize(Mechanism mechanism)
            throws IOException {
        Path big = Files.createDirectories(workspace.resolve("big"));
        Map<String, Long> files = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            // ~220 bytes per entry: the kernel needs ~28 reads of the listing's buffer for all of them
            String name = String.format("%04d-", i) + "n".repeat(200)
                    + (i % 3 == 0 ? "-\u00fc\u00f1\u6f22.rs" : ".rs");
            Files.write(big.resolve(name), new byte[i % 17]);
            files.put(name, (long) (i % 17));
        }
        Files.createDirectory(big.resolve("sub"));
        Files.createSymbolicLink(big.resolve("link"), outside);
        WorkspaceFileSystem fs = fs(mechanism, false);

        Map<String, LinuxCalls.Stat> entries = fs.listing("big").entries();
        assertTrue(LinuxCalls.DIRENTS_BUFFER < 2000 * 220, "the directory fits one read: nothing tested");
        assertEquals(2002, entries.size());
        files.forEach((name, size) -> {
            assertTrue(entries.get(name).isRegularFile(), name);
            assertEquals(size, entries.get(name).size(), name);
        });
        assertTrue(entries.get("sub").isDirectory());
        assertTrue(entries.get("link").isSymbolicLink());
        // what WASI asks afterwards is answered from the listing, and agrees with the disk
        String some = files.keySet().iterator().next();
        assertEquals(files.get(some), fs.readAttributes(big.resolve(some), "size").get("size"));
        assertEquals(Files.getAttribute(big.resolve(some), "unix:ino"),
                fs.readAttributes(big.resolve(some), "unix:ino").get("ino"));
        assertEquals(Boolean.TRUE, fs.readAttributes(big.resolve("link"), "isSymbolicLink", LinkOption.NOFOLLOW_LINKS)
                .get("isSymbolicLink"));
        assertThrows(NoSuchFileException.class, () -> fs.checkAccess(big.resolve(".gitignore"), Set.of()));
        assertThrows(IOException.class, () -> fs.toRealPath(big.resolve("link")));
        assertEquals(fs.listing("big").entries().keySet(), Set.copyOf(names(fs, big)));
    }

    @ParameterizedTest
    @EnumSource(Mechanism.class)
    void aDirectoryReplacedByALinkOutWhileListedNeverListsTheLinksTarget(Mechanism mechanism) throws Exception {
        Path flip = workspace.resolve("flip");
        Path outsideDir = Files.createDirectories(temp.resolve("outdir"));
        Files.writeString(outsideDir.resolve("x"), "secret");
        Files.writeString(outsideDir.resolve("outside-only"), "secret");
        WorkspaceRoot root = WorkspaceRoot.open(workspace, false, mechanism);
        roots.add(root);
        Path inside = Files.createDirectories(workspace.resolve("inside"));
        Files.writeString(inside.resolve("x"), "harmless");
        AtomicBoolean stop = new AtomicBoolean();
        Thread flipper = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                try {
                    Files.move(inside, flip); // the directory
                    Files.move(flip, inside);
                    Files.createSymbolicLink(flip, outsideDir); // a link to the directory outside
                    Files.delete(flip);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        int listed = 0;
        try {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
            while (System.nanoTime() < end && flipper.isAlive()) {
                try {
                    // a new call each time: a call lists a directory once
                    Map<String, LinuxCalls.Stat> entries = new WorkspaceFileSystem(root, false).listing("flip")
                            .entries();
                    assertFalse(entries.containsKey("outside-only"), "listed the directory outside through the link");
                    assertEquals("harmless".length(), entries.get("x").size(), "the outside x was listed");
                    listed++;
                } catch (IOException refused) {
                    // the link (refused), or nothing there at the moment
                }
            }
            assertTrue(flipper.isAlive(), "the flipper failed");
        } finally {
            stop.set(true);
            flipper.join();
        }
        assertTrue(listed > 0, "the directory was never listed: the race did not run");
    }

    @Test
    void aChannelKnowsItsPositionAsTheKernelWouldSayIt() throws IOException {
        WorkspaceFileSystem fs = fs(Mechanism.OPENAT2, true);
        Path digits = workspace.resolve("digits.txt");
        Files.writeString(digits, "0123456789");
        try (SeekableByteChannel channel = fs.newByteChannel(digits, options(StandardOpenOption.READ))) {
            assertEquals(0, channel.position());
            assertEquals(4, channel.read(ByteBuffer.allocate(4)));
            assertEquals(4, channel.position());
            channel.position(8);
            ByteBuffer rest = ByteBuffer.allocate(8);
            assertEquals(2, channel.read(rest));
            assertEquals("89", new String(rest.array(), 0, 2, StandardCharsets.UTF_8));
            assertEquals(10, channel.position());
            assertEquals(-1, channel.read(ByteBuffer.allocate(1)));
            assertEquals(10, channel.position());
        }
        try (SeekableByteChannel channel = fs.newByteChannel(digits, options(StandardOpenOption.WRITE))) {
            channel.write(ByteBuffer.wrap("ab".getBytes(StandardCharsets.UTF_8)));
            assertEquals(2, channel.position());
            channel.truncate(1);
            assertEquals(1, channel.position());
        }
        assertEquals("a", Files.readString(digits));
        try (SeekableByteChannel channel = fs.newByteChannel(digits,
                options(StandardOpenOption.WRITE, StandardOpenOption.APPEND))) {
            channel.write(ByteBuffer.wrap("bc".getBytes(StandardCharsets.UTF_8)));
            assertEquals(3, channel.position(), "an appending write ends where the file ends");
        }
    }

    @Test
    void openFilesAreCapped() throws IOException {
        WorkspaceFileSystem fs = fs(Mechanism.OPENAT2, false);
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
