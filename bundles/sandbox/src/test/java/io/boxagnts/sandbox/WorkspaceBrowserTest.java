package io.boxagnts.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.boxagnts.api.sandbox.WorkspaceFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The UI's file browser keeps the tools' boundary: nothing outside, no link followed, no pipe, no hard link. */
class WorkspaceBrowserTest {

    @TempDir
    Path temp;

    private Path workspace;
    private Path outside;
    private WorkspaceRoot root;

    @BeforeEach
    void setUp() throws IOException {
        workspace = Files.createDirectories(temp.resolve("ws")).toRealPath();
        outside = Files.writeString(temp.resolve("secret.txt"), "secret").toRealPath();
        Files.writeString(workspace.resolve("a.txt"), "inside");
        Files.createDirectories(workspace.resolve("src"));
        Files.createSymbolicLink(workspace.resolve("out"), outside);
        Files.createSymbolicLink(workspace.resolve("updir"), temp);
        Files.createLink(workspace.resolve("hard.txt"), outside);
    }

    @AfterEach
    void close() {
        if (root != null) {
            root.close();
        }
    }

    private WorkspaceBrowser browser(boolean readsLinked) throws IOException {
        if (root != null) {
            root.close();
        }
        root = WorkspaceRoot.open(workspace, readsLinked);
        return new WorkspaceBrowser(root);
    }

    @Test
    void listsEntriesAsThemselvesAndReadsFilesInside() throws IOException {
        WorkspaceBrowser browser = browser(false);
        Map<String, String> types = browser.list("", 100).entries().stream()
                .collect(Collectors.toMap(WorkspaceFiles.Entry::name, WorkspaceFiles.Entry::type));
        assertEquals(Map.of("a.txt", "file", "src", "dir", "out", "link", "updir", "link", "hard.txt", "file"), types);
        assertEquals("inside", new String(browser.read("/a.txt", 100).bytes(), StandardCharsets.UTF_8));
        WorkspaceFiles.Head cut = browser.read("a.txt", 3);
        assertEquals(6, cut.size());
        assertEquals("ins", new String(cut.bytes(), StandardCharsets.UTF_8));
        assertTrue(browser.list("", 2).truncated());
        assertThrows(NotDirectoryException.class, () -> browser.list("a.txt", 10));
        assertThrows(IllegalArgumentException.class, () -> browser.read("src", 10));
        assertThrows(NoSuchFileException.class, () -> browser.read("missing.txt", 10));
    }

    @Test
    void nothingOutsideNoLinkAndNoHardLinkIsRead() throws IOException {
        WorkspaceBrowser browser = browser(false);
        for (String path : new String[] {"../secret.txt", "out", "updir/secret.txt", "hard.txt", "src/../../secret.txt"}) {
            assertThrows(AccessDeniedException.class, () -> browser.read(path, 100), path);
        }
        assertThrows(AccessDeniedException.class, () -> browser.list("updir", 100));
        AccessDeniedException hard = assertThrows(AccessDeniedException.class, () -> browser.read("hard.txt", 100));
        assertTrue(hard.getReason().startsWith("'hard.txt' has other hard links; reading it"), hard.getReason());
        assertEquals("secret", new String(browser(true).read("hard.txt", 100).bytes(), StandardCharsets.UTF_8));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS) // a FIFO opened for reading would block forever
    void aPipeIsListedButNotOpened() throws Exception {
        assertEquals(0, new ProcessBuilder("mkfifo", workspace.resolve("fifo").toString()).start().waitFor());
        WorkspaceBrowser browser = browser(false);
        assertTrue(browser.list("", 100).entries().stream()
                .anyMatch(e -> e.name().equals("fifo") && e.type().equals("other")));
        assertThrows(AccessDeniedException.class, () -> browser.read("fifo", 100));
    }
}
