package io.boxagnts.agent;

import io.boxagnts.api.agent.AgentEvent;
import io.boxagnts.api.model.ChatListener;
import io.boxagnts.api.model.ChatMessage;
import io.boxagnts.api.model.ChatRequest;
import io.boxagnts.api.model.ChatResponse;
import io.boxagnts.api.model.ChatDelta;
import io.boxagnts.api.model.ModelInfo;
import io.boxagnts.api.model.ModelProvider;
import io.boxagnts.api.model.ToolCall;
import io.boxagnts.api.model.Usage;
import io.boxagnts.api.tool.RefusedTool;
import io.boxagnts.api.tool.RegisteredTool;
import io.boxagnts.api.tool.Tool;
import io.boxagnts.api.tool.ToolPermissions;
import io.boxagnts.api.tool.ToolRegistry;
import io.boxagnts.api.tool.ToolRequest;
import io.boxagnts.api.tool.ToolResult;
import io.boxagnts.api.tool.ToolSpec;
import io.boxagnts.sessions.JsonlSessionStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The agent's own cost per turn: an instant model that asks for one tool call and then answers, an instant Java
 * tool, the real session store (every completed event forced to disk). A turn logs six events: the user message, the
 * tool call started and finished, the answer text, the turn's end... so this measures orchestration plus fsyncs.
 * A fresh session per iteration keeps the history (and so the request size) constant.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xmx1g"})
public class AgentTurnBenchmark {

    /**
     * Instant model: when the last message is the user's, one call of each named tool (in parallel); after the tool
     * results, an answer.
     */
    static final class InstantModel implements ModelProvider {
        private final List<String> tools;

        InstantModel(String... tools) {
            this.tools = List.of(tools);
        }

        @Override
        public String id() {
            return "instant";
        }

        @Override
        public List<ModelInfo> models() {
            return List.of();
        }

        @Override
        public ChatResponse chat(ChatRequest request, ChatListener listener) {
            int size = request.messages().size();
            if (request.messages().get(size - 1).role() == ChatMessage.Role.USER) {
                List<ToolCall> calls = tools.stream() // ids unique within the session's history
                        .map(tool -> new ToolCall(tool + size, tool, "{\"pattern\":\"TODO\"}")).toList();
                return new ChatResponse(ChatMessage.assistant("", calls), ChatResponse.FinishReason.TOOL_CALLS,
                        new Usage(100, 10));
            }
            listener.onDelta(new ChatDelta.Text("Done."));
            return new ChatResponse(ChatMessage.assistant("Done.", List.of()), ChatResponse.FinishReason.STOP,
                    new Usage(120, 2));
        }
    }

    record InstantTool(ToolSpec spec) implements Tool {
        @Override
        public ToolResult invoke(ToolRequest request) {
            return new ToolResult("{\"matches\":[\"README.md:2\"]}", Duration.ZERO);
        }
    }

    /** A fixed set of tools, for benchmarks that run the loop without an OSGi container. */
    record Registry(List<RegisteredTool> tools) implements ToolRegistry {
        @Override
        public Optional<RegisteredTool> tool(String name) {
            return tools.stream().filter(t -> t.spec().name().equals(name)).findFirst();
        }

        @Override
        public List<RefusedTool> refused() {
            return List.of();
        }
    }

    private JsonlSessionStore sessions;
    private AgentLoop loop;
    private String session;

    @Setup
    public void setUp() throws IOException {
        sessions = new JsonlSessionStore(Files.createTempDirectory("bench-sessions"), Clock.systemUTC());
        Tool grep = new InstantTool(new ToolSpec("grep", "search", null, ToolPermissions.READ, null, "1"));
        loop = new AgentLoop(new InstantModel("grep"), "m", new Registry(List.of(new RegisteredTool(grep, "bench", "1"))), sessions,
                AgentLoop.Settings.DEFAULT, Clock.systemUTC(), Files.createTempDirectory("bench-workspace"));
    }

    @Setup(Level.Invocation)
    public void newSession() throws IOException {
        session = sessions.create("bench").id();
    }

    @Benchmark
    public AgentEvent.StopReason turnWithOneToolCall() throws IOException {
        return loop.turn(session, "You are a coding agent.", "find the TODOs", Permissions.DEFAULT,
                ApprovalGate.DENY_ALL, event -> { });
    }
}
