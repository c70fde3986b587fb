package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.boxagnts.api.agent.AgentEvent;
import io.boxagnts.api.agent.AgentService;
import io.boxagnts.api.agent.TurnRequest;
import io.boxagnts.api.model.ModelDiscovery;
import io.boxagnts.api.runtime.RuntimeProperties;
import io.boxagnts.api.session.SessionStore;
import io.boxagnts.api.tool.ToolRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * A full agent turn inside the Pax Exam container: the core bundles, the shipped tool bundles, and a scripted
 * OpenAI-compatible server (started with the configuration, fully scripted before the container boots).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AgentContainerIT {

    private static ScriptedModelServer model;

    @Inject
    private BundleContext context;

    @Inject
    private AgentService agent;

    @Inject
    private SessionStore sessions;

    @Inject
    private ToolRegistry tools;

    @Inject
    private ModelDiscovery discovery;

    @Configuration
    public Option[] config() throws IOException {
        model = new ScriptedModelServer()
                .thenToolCall("call_1", "grep", "{\"pattern\":\"TODO\"}")
                .thenToolCall("call_2", "edit_file", "{\"path\":\"README.md\",\"old_string\":\"tpyo\",\"new_string\":\"typo\"}")
                .thenText("Fixed the typo in README.md.");
        return RuntimeContainer.options(model.baseUrl());
    }

    @Test
    public void findTheTodosAndFixTheTypo() throws Exception {
        Path plugins = Path.of(context.getProperty(RuntimeProperties.PLUGINS_DIR));
        for (Path jar : RuntimeContainer.toolBundles()) {
            TestBundles.drop(jar, plugins, jar.getFileName().toString());
        }
        Path workspace = Path.of(context.getProperty("boxagnts.workspace"));
        Files.writeString(workspace.resolve("README.md"), "# Demo\nTODO: fix the tpyo\n");
        Await.until("the tools are registered", () -> tools.tool("grep").isPresent() && tools.tool("edit_file").isPresent());
        Await.until("the scripted server is discovered", () -> discovery.servers().stream()
                .anyMatch(s -> s.providerId().equals("configured") && s.reachable()));

        String session = sessions.create("in the container").id();
        List<AgentEvent> events = new CopyOnWriteArrayList<>();
        AgentEvent.StopReason reason = agent.run(session, new TurnRequest("find the TODOs and fix the typo in README",
                "configured", "", "auto-edit"), events::add);

        assertEquals(events.toString(), AgentEvent.StopReason.COMPLETED, reason);
        assertEquals("# Demo\nTODO: fix the typo\n", Files.readString(workspace.resolve("README.md")));
        assertEquals(2, events.stream().filter(e -> e instanceof AgentEvent.ToolCallFinished f && f.error() == null).count());
        assertTrue(sessions.events(session).get(sessions.events(session).size() - 1) instanceof AgentEvent.TurnFinished);
    }
}
