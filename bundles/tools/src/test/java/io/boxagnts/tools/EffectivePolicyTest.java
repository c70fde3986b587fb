package io.boxagnts.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.boxagnts.api.tool.ToolLimits;
import io.boxagnts.api.tool.ToolPermissions;
import io.boxagnts.api.tool.ToolSpec;
import io.boxagnts.api.tool.WorkspaceAccess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EffectivePolicyTest {

    private static final ToolSpec WRITER = new ToolSpec("write_file", "", null, ToolPermissions.WRITE,
            new ToolLimits(Duration.ofSeconds(5), 64 << 20, 1 << 20), "1");
    private static final ToolLimits CAPS = new ToolLimits(Duration.ofSeconds(60), 512L << 20, 8 << 20);

    private static ToolPolicy policy(Map<String, ?> properties) {
        return ToolPolicy.of(properties);
    }

    @Test
    void withoutPolicyAToolRunsAsDeclared() {
        EffectivePolicy policy = EffectivePolicy.of(WRITER, WorkspaceAccess.WRITE, List.of(), CAPS);
        assertTrue(policy.enabled());
        assertEquals(WorkspaceAccess.WRITE, policy.grant().permissions().workspace());
        assertEquals(WRITER.limits(), policy.grant().limits());
        assertEquals("", policy.source());
    }

    @Test
    void aFileNamedAfterTheToolNarrowsItsGrantAndChangesItsLimits() {
        ToolPolicy fromFile = policy(Map.of("service.pid", "io.boxagnts.tool.policy~write_file", "workspace", "read",
                "timeoutMs", "1500", "maxOutputKb", "16", "maxMemoryMb", "128"));
        EffectivePolicy policy = EffectivePolicy.of(WRITER, WorkspaceAccess.WRITE, List.of(fromFile), CAPS);
        assertEquals(WorkspaceAccess.READ, policy.grant().permissions().workspace());
        assertTrue(policy.narrows(WRITER));
        assertEquals(new ToolLimits(Duration.ofMillis(1500), 128 << 20, 16 << 10), policy.grant().limits());
        assertEquals("io.boxagnts.tool.policy~write_file", policy.source());
    }

    @Test
    void aPolicyNeverGrantsMoreThanDeclaredNorAboveTheCaps() {
        ToolSpec reader = new ToolSpec("grep", "", null, ToolPermissions.READ, ToolLimits.DEFAULT, "1");
        EffectivePolicy policy = EffectivePolicy.of(reader, WorkspaceAccess.WRITE, List.of(policy(Map.of(
                "service.pid", "p", "tool", "grep", "workspace", "write", "timeoutMs", 600_000L))), CAPS);
        assertEquals(WorkspaceAccess.READ, policy.grant().permissions().workspace());
        assertEquals(CAPS.timeout(), policy.grant().limits().timeout());
        assertTrue(policy.source().contains("caps"), policy.source());
    }

    @Test
    void theWorkspaceForAllToolsAndTheStrictestOfSeveralPoliciesWin() {
        EffectivePolicy readOnly = EffectivePolicy.of(WRITER, WorkspaceAccess.READ, List.of(), CAPS);
        assertEquals(WorkspaceAccess.READ, readOnly.grant().permissions().workspace());
        assertTrue(readOnly.source().startsWith("io.boxagnts.tools"), readOnly.source());
        EffectivePolicy two = EffectivePolicy.of(WRITER, WorkspaceAccess.WRITE, List.of(
                policy(Map.of("service.pid", "a", "tool", "write_file", "timeoutMs", 900L)),
                policy(Map.of("service.pid", "b", "tool", "write_file", "timeoutMs", 2000L, "enabled", false))), CAPS);
        assertEquals(Duration.ofMillis(900), two.grant().limits().timeout());
        assertFalse(two.enabled());
        assertEquals("disabled by configuration b", two.disabledBecause());
    }

    @Test
    void anUnreadablePolicyDisablesItsToolWithTheReason() {
        ToolPolicy typo = policy(Map.of("service.pid", "io.boxagnts.tool.policy~write_file", "workspace", "reed"));
        EffectivePolicy policy = EffectivePolicy.of(WRITER, WorkspaceAccess.WRITE, List.of(typo), CAPS);
        assertFalse(policy.enabled());
        assertTrue(policy.disabledBecause().contains("workspace must be none, read, write"), policy.disabledBecause());
        assertFalse(policy(Map.of("service.pid", "x", "tool", "grep", "timeoutMs", "-5")).problem().isEmpty());
        assertFalse(policy(Map.of("service.pid", "x", "tool", "Not A Tool")).problem().isEmpty());
    }
}
