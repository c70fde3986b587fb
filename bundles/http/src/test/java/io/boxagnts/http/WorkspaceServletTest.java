package io.boxagnts.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceServletTest {

    @TempDir
    Path temp;

    @Test
    void pathsStayInsideTheWorkspace() throws Exception {
        Path workspace = Files.createDirectories(temp.resolve("ws"));
        Files.writeString(workspace.resolve("a.txt"), "a");
        Files.writeString(temp.resolve("secret.txt"), "s");
        Files.createSymbolicLink(workspace.resolve("out"), temp.resolve("secret.txt"));
        WorkspaceServlet servlet = new WorkspaceServlet(workspace);
        assertEquals(workspace.toRealPath().resolve("a.txt"), servlet.resolve("a.txt"));
        assertEquals(workspace.toRealPath().resolve("a.txt"), servlet.resolve("/a.txt"));
        assertEquals(workspace.toRealPath(), servlet.resolve(""));
        assertThrows(SecurityException.class, () -> servlet.resolve("../secret.txt"));
        assertThrows(SecurityException.class, () -> servlet.resolve("out"));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> servlet.resolve("missing.txt"));
    }

    @Test
    void binaryAndBrokenTextIsNotShownAsText() {
        assertEquals("héllo", WorkspaceServlet.text("héllo".getBytes(StandardCharsets.UTF_8), false));
        assertNull(WorkspaceServlet.text(new byte[] {'a', 0, 'b'}, false));
        assertNull(WorkspaceServlet.text(new byte[] {(byte) 0xC3, 'x'}, false));
        byte[] cut = "aé".getBytes(StandardCharsets.UTF_8);
        assertEquals("a", WorkspaceServlet.text(java.util.Arrays.copyOf(cut, 2), true));
    }
}
