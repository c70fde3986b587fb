package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.boxagnts.api.audit.AuditLog;
import io.boxagnts.api.audit.AuditQuery;
import io.boxagnts.api.runtime.RuntimeProperties;
import io.boxagnts.api.tool.CallOrigin;
import io.boxagnts.api.tool.RegisteredTool;
import io.boxagnts.api.tool.ToolError;
import io.boxagnts.api.tool.ToolException;
import io.boxagnts.api.tool.ToolRegistry;
import io.boxagnts.api.tool.ToolRequest;
import io.boxagnts.api.tool.WorkspaceAccess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.function.Predicate;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * Per-tool policy through ConfigAdmin in the real container, with the shipped tools and hostile modules as tool
 * bundles: a narrowed grant refuses the next call with PERMISSION_DENIED and says why, lowered limits are enforced,
 * a disabled tool is refused, the workspace can be made read-only for every tool, a file in conf/ does the same as
 * ConfigAdmin (and is never rewritten), a lowered sandbox cap refuses a tool that declares more, every change is in
 * the audit log, and the console's
 * Configuration page gets typed, described forms through MetaType.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ToolPolicyIT {

    @Inject
    private BundleContext context;

    @Inject
    private ToolRegistry registry;

    @Inject
    private ConfigurationAdmin configurations;

    @Inject
    private AuditLog audit;

    @Inject
    private MetaTypeService metaTypes;

    @Configuration
    public Option[] config() throws IOException {
        return RuntimeContainer.options();
    }

    private Path workspace() {
        return Path.of(context.getProperty(RuntimeProperties.WORKSPACE));
    }

    private void shippedTools() throws Exception {
        TestBundles.dropShippedTools(Path.of(context.getProperty(RuntimeProperties.PLUGINS_DIR)));
        Await.until("the shipped tools are registered", () -> registry.tool("write_file").isPresent()
                && registry.tool("read_file").isPresent() && registry.tool("edit_file").isPresent());
    }

    private void hostileTool(String name, int memoryMb) throws Exception {
        Path jar = TestBundles.toolBundle(TempDirs.create("tool"), name, TestBundles.hostileModule(name), "none",
                5000, memoryMb);
        TestBundles.drop(jar, Path.of(context.getProperty(RuntimeProperties.PLUGINS_DIR)), name + ".jar");
        Await.until("tool " + name + " is registered", () -> registry.tool(name).isPresent());
    }

    /** Sets the tool's policy as the console or the admin API would, and waits until the registry applies it. */
    private void policy(String tool, Predicate<RegisteredTool> applied, Object... keyValues) throws Exception {
        ToolPolicies.set(configurations, registry, tool, applied, keyValues);
    }

    private ToolException refusal(String tool, String input) {
        return assertThrows(ToolException.class, () -> registry.tool(tool).orElseThrow().tool()
                .invoke(new ToolRequest("it", input, new CallOrigin("it", "test", ""))));
    }

    @After
    public void removePolicies() throws Exception {
        ToolPolicies.removeAll(configurations, "(|(service.factoryPid=io.boxagnts.tool.policy)"
                + "(service.pid=io.boxagnts.tools))");
        Await.until("the tools run as declared again", () -> registry.tools().stream()
                .allMatch(t -> t.enabled() && t.grant().permissions().equals(t.spec().permissions())));
    }

    @Test
    public void aNarrowedGrantRefusesTheNextCallWithPermissionDenied() throws Exception {
        shippedTools();
        String write = "{\"path\":\"narrowed.txt\",\"content\":\"x\"}";
        policy("write_file", t -> t.grant().permissions().workspace() == WorkspaceAccess.READ, "workspace", "read");

        RegisteredTool narrowed = registry.tool("write_file").orElseThrow();
        assertEquals(WorkspaceAccess.WRITE, narrowed.spec().permissions().workspace());
        assertEquals("io.boxagnts.tool.policy~write_file", narrowed.policy());
        ToolException refused = refusal("write_file", write);
        assertEquals(refused.getMessage(), ToolError.Kind.PERMISSION_DENIED, refused.error().kind());
        assertTrue(refused.getMessage(), refused.getMessage().contains("read-only"));
        assertTrue(refused.getMessage(), refused.getMessage().contains("the administrator granted write_file read "
                + "access to the workspace: io.boxagnts.tool.policy~write_file"));
        assertFalse(Files.exists(workspace().resolve("narrowed.txt")));

        policy("write_file", t -> t.grant().permissions().workspace() == WorkspaceAccess.WRITE, "workspace", "");
        registry.tool("write_file").orElseThrow().tool().invoke(new ToolRequest("it", write));
        assertEquals("x", Files.readString(workspace().resolve("narrowed.txt")));

        List<String> changes = audit.find(new AuditQuery(null, "io.boxagnts.tool.policy~write_file", "admin", 10));
        assertTrue(changes.toString(), changes.size() >= 2);
        assertTrue(changes.toString(), changes.get(0).contains("\"action\":\"config change\"")
                && changes.get(0).contains("\"workspace\":\"read\""));
        List<String> calls = audit.find(new AuditQuery(null, "write_file", "tool_call", 10));
        assertTrue(calls.toString(), calls.stream().anyMatch(c -> c.contains("\"outcome\":\"PERMISSION_DENIED\"")));
    }

    @Test
    public void aDisabledToolAndAWorkspaceReadOnlyForAllAreRefused() throws Exception {
        shippedTools();
        policy("read_file", t -> !t.enabled(), "enabled", false);
        ToolException disabled = refusal("read_file", "{\"path\":\"a\"}");
        assertEquals(ToolError.Kind.PERMISSION_DENIED, disabled.error().kind());
        assertTrue(disabled.getMessage(), disabled.getMessage().contains("read_file is disabled by the administrator"));

        Dictionary<String, Object> readOnly = new Hashtable<>();
        readOnly.put("workspace", "read");
        configurations.getConfiguration("io.boxagnts.tools", "?").update(readOnly);
        Await.until("the workspace is read-only for all tools", () -> registry.tools().stream()
                .allMatch(t -> t.grant().permissions().workspace() != WorkspaceAccess.WRITE));
        Files.writeString(workspace().resolve("kept.txt"), "old");
        ToolException edit = refusal("edit_file", "{\"path\":\"kept.txt\",\"old_string\":\"old\",\"new_string\":\"new\"}");
        assertEquals(edit.getMessage(), ToolError.Kind.PERMISSION_DENIED, edit.error().kind());
        assertTrue(edit.getMessage(), edit.getMessage().contains("io.boxagnts.tools (workspace read for all tools)"));
        assertEquals("old", Files.readString(workspace().resolve("kept.txt")));
        assertTrue(audit.find(new AuditQuery(null, "io.boxagnts.tools", "admin", 10)).toString()
                .contains("\"workspace\":\"read\""));
    }

    @Test
    public void loweredLimitsAreEnforcedOnTheNextCall() throws Exception {
        shippedTools();
        Files.writeString(workspace().resolve("big.txt"), "b".repeat(20_000));
        registry.tool("read_file").orElseThrow().tool().invoke(new ToolRequest("it", "{\"path\":\"big.txt\"}"));
        policy("read_file", t -> t.grant().limits().maxOutputBytes() == 4 << 10, "maxOutputKb", 4L);
        ToolException output = refusal("read_file", "{\"path\":\"big.txt\"}");
        assertEquals(output.getMessage(), ToolError.Kind.OUTPUT_TOO_LARGE, output.error().kind());
        assertTrue(output.getMessage(), output.getMessage().contains("limit of 4096 bytes"));

        hostileTool("loop", 16); // declares 5 s
        policy("loop", t -> t.grant().limits().timeout().equals(Duration.ofMillis(300)), "timeoutMs", "300");
        ToolException time = refusal("loop", "{}");
        assertEquals(time.getMessage(), ToolError.Kind.TIMEOUT, time.error().kind());
        assertTrue(time.getMessage(), time.getMessage().contains("limit of 300 ms"));

        hostileTool("membomb", 16);
        policy("membomb", t -> t.grant().limits().maxMemoryBytes() == 10 << 20, "maxMemoryMb", 10);
        ToolException memory = refusal("membomb", "{}");
        assertEquals(memory.getMessage(), ToolError.Kind.MEMORY_LIMIT, memory.error().kind());
        assertTrue(memory.getMessage(), memory.getMessage().contains("(10 MiB)"));
    }

    /** The sandbox's own caps, changed through ConfigAdmin: a tool that declares more than the new cap is refused. */
    @Test
    public void aLoweredSandboxCapRefusesAToolThatDeclaresMore() throws Exception {
        shippedTools();
        org.osgi.service.cm.Configuration sandbox = configurations.getConfiguration("io.boxagnts.sandbox", "?");
        try {
            Dictionary<String, Object> caps = new Hashtable<>();
            caps.put("maxOutputKb", 512L);
            sandbox.update(caps);
            Await.until("read_file (1024 KiB of output) is refused under a cap of 512 KiB", () ->
                    registry.tool("read_file").isEmpty() && registry.refused().stream().anyMatch(r ->
                            r.bundle().equals("io.boxagnts.tool.read_file")
                                    && r.reason().contains("maxOutputKb 1024 is above the runtime's cap of 512")));
            // ConfigAdmin tells its listeners asynchronously: the audit record may follow the sandbox's change.
            Await.until("the cap's change is in the audit log", () -> audit.find(
                    new AuditQuery(null, "io.boxagnts.sandbox", "admin", 10)).toString()
                    .contains("\"maxOutputKb\":\"512\""));
        } finally {
            sandbox.delete();
        }
        Await.until("read_file is back under the default caps", () -> registry.tool("read_file").isPresent());
        Files.writeString(workspace().resolve("cap.txt"), "capped\n");
        assertTrue(registry.tool("read_file").orElseThrow().tool().invoke(new ToolRequest("it",
                "{\"path\":\"cap.txt\"}", new CallOrigin("it", "test", ""))).output().contains("capped"));
    }

    /**
     * The memory budget of the calls running at once, set through ConfigAdmin: a tool whose own limit is larger could
     * never start, so it is refused, and an administrator may not grant more either.
     */
    @Test
    public void aToolThatMayUseMoreThanTheMemoryBudgetIsRefused() throws Exception {
        shippedTools();
        org.osgi.service.cm.Configuration sandbox = configurations.getConfiguration("io.boxagnts.sandbox", "?");
        try {
            Dictionary<String, Object> budget = new Hashtable<>();
            budget.put("memoryBudgetMb", 32L);
            sandbox.update(budget);
            Await.until("read_file (64 MiB) is refused under a memory budget of 32 MiB", () ->
                    registry.tool("read_file").isEmpty() && registry.refused().stream().anyMatch(r ->
                            r.bundle().equals("io.boxagnts.tool.read_file") && r.reason().contains("limits.maxMemoryMb "
                                    + "64 is above the sandbox's memory budget for all calls at once: 32 MiB "
                                    + "(memoryBudgetMb in io.boxagnts.sandbox)")));
            assertEquals(32L << 20, sandbox().caps().maxMemoryBytes());
        } finally {
            sandbox.delete();
        }
        Await.until("read_file is back under the heap's budget", () -> registry.tool("read_file").isPresent());
        assertTrue(sandbox().caps().maxMemoryBytes() >= 64L << 20);
    }

    private io.boxagnts.api.sandbox.Sandbox sandbox() {
        var reference = context.getServiceReference(io.boxagnts.api.sandbox.Sandbox.class);
        return context.getService(reference);
    }

    @Test
    public void aFileInConfDoesWhatConfigAdminDoesAndIsNeverRewritten() throws Exception {
        shippedTools();
        Path conf = Path.of(context.getProperty("felix.fileinstall.dir").split(",")[1]);
        Path file = conf.resolve("io.boxagnts.tool.policy-grep.cfg");
        TestBundles.writeWhole(file, "workspace=none\n");
        Await.until("the file's policy applies", () -> registry.tool("grep").orElseThrow().grant().permissions()
                .workspace() == WorkspaceAccess.NONE);
        ToolException none = refusal("grep", "{\"pattern\":\"x\"}");
        assertEquals(ToolError.Kind.PERMISSION_DENIED, none.error().kind());
        assertTrue(none.getMessage(), none.getMessage().contains("granted it no access"));

        TestBundles.writeWhole(file, "workspace=read\ntimeoutMs=2500\n");
        Await.until("the changed file applies", () -> registry.tool("grep").orElseThrow().grant().limits().timeout()
                .toMillis() == 2500);
        assertEquals(WorkspaceAccess.READ, registry.tool("grep").orElseThrow().grant().permissions().workspace());
        assertEquals("the file is never rewritten", "workspace=read\ntimeoutMs=2500\n", Files.readString(file));
        Files.delete(file);
        Await.until("deleting the file removes its policy", () -> registry.tool("grep").orElseThrow().policy()
                .isEmpty());
    }

    @Test
    public void theConfigurationsAreDescribedForTheConsole() {
        Bundle tools = Arrays.stream(context.getBundles()).filter(b -> "io.boxagnts.tools".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        MetaTypeInformation info = metaTypes.getMetaTypeInformation(tools);
        assertTrue(Arrays.asList(info.getFactoryPids()).contains("io.boxagnts.tool.policy"));
        assertTrue(Arrays.asList(info.getPids()).contains("io.boxagnts.tools"));
        ObjectClassDefinition policy = info.getObjectClassDefinition("io.boxagnts.tool.policy", null);
        AttributeDefinition workspace = Arrays.stream(policy.getAttributeDefinitions(ObjectClassDefinition.ALL))
                .filter(a -> a.getID().equals("workspace")).findFirst().orElseThrow();
        assertEquals(List.of("", "none", "read", "write"), Arrays.asList(workspace.getOptionValues()));
        assertNotNull(workspace.getDescription());
        for (String[] pid : new String[][] {{"io.boxagnts.sandbox", "maxTimeoutMs"},
                {"io.boxagnts.sandbox", "memoryBudgetMb"}, {"io.boxagnts.audit",
                "retentionDays"}, {"io.boxagnts.agent", "defaultModel"}, {"io.boxagnts.agent", "defaultMode"},
                {"io.boxagnts.http", "allowedHosts"}}) {
            Bundle owner = Arrays.stream(context.getBundles()).filter(b -> {
                MetaTypeInformation i = metaTypes.getMetaTypeInformation(b);
                return i != null && Arrays.asList(i.getPids()).contains(pid[0]);
            }).findFirst().orElseThrow(() -> new AssertionError("no MetaType for " + pid[0]));
            ObjectClassDefinition ocd = metaTypes.getMetaTypeInformation(owner).getObjectClassDefinition(pid[0], null);
            assertTrue(pid[0] + " describes " + pid[1], Arrays.stream(ocd.getAttributeDefinitions(
                    ObjectClassDefinition.ALL)).anyMatch(a -> a.getID().equals(pid[1])));
        }
    }
}
