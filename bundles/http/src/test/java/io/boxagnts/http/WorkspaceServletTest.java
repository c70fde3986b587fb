package io.boxagnts.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The browser's own part; its boundary is the sandbox's WorkspaceBrowser, tested there. */
class WorkspaceServletTest {

    @Test
    void pathsAreShownRelativeAndNormalised() {
        assertEquals("", WorkspaceServlet.path(""));
        assertEquals("", WorkspaceServlet.path("/"));
        assertEquals("a/b.txt", WorkspaceServlet.path("/a/./c/../b.txt"));
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
