package io.boxagnts.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.boxagnts.api.tool.NetworkAccess;
import io.boxagnts.api.tool.ToolPermissions;
import io.boxagnts.api.tool.ToolSpec;
import io.boxagnts.api.tool.WorkspaceAccess;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolGuideTest {

    private static ToolSpec tool(String name, ToolPermissions permissions) {
        return new ToolSpec(name, name, null, permissions, null, "1");
    }

    private static final ToolSpec READ_FILE = tool("read_file", ToolPermissions.READ);
    private static final ToolSpec SHELL = tool("shell", ToolPermissions.WRITE);
    private static final ToolSpec JS = tool("js", ToolPermissions.WRITE);
    private static final ToolSpec WEB_FETCH = tool("web_fetch", new ToolPermissions(WorkspaceAccess.NONE,
            NetworkAccess.FETCH));

    @Test
    void theSandboxsLimitsAndOnlyTheOfferedToolsAreExplained() {
        assertEquals("", ToolGuide.of(List.of()), "no tools, nothing to say");
        assertEquals(ToolGuide.SANDBOX + ".", ToolGuide.of(List.of(READ_FILE)));
        String all = ToolGuide.of(List.of(READ_FILE, SHELL, JS));
        assertTrue(all.startsWith("Your tools run in a sandbox on the workspace: no processes, no network."), all);
        assertTrue(all.contains("shell is a built-in POSIX sh") && all.contains("git, python, node, npm, cargo"), all);
        assertTrue(all.contains("js is Duktape, ECMAScript 5.1: use var and function"), all);
        String plan = ToolGuide.of(List.of(READ_FILE)); // plan mode: shell and js (which write) are not offered
        assertFalse(plan.contains("shell") || plan.contains("Duktape"), plan);
    }

    @Test
    void theWebIsMentionedOnlyWhenAFetchingToolIsOffered() {
        String web = ToolGuide.of(List.of(READ_FILE, WEB_FETCH));
        assertTrue(web.startsWith(ToolGuide.SANDBOX + " except web_fetch, which reaches only the hosts an "
                + "administrator allowed."), web);
    }
}
