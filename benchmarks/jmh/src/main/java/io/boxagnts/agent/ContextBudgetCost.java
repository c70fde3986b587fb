package io.boxagnts.agent;

import io.boxagnts.api.agent.AgentEvent;
import io.boxagnts.api.model.ChatDelta;
import io.boxagnts.api.model.ChatListener;
import io.boxagnts.api.model.ChatMessage;
import io.boxagnts.api.model.ChatRequest;
import io.boxagnts.api.model.ChatResponse;
import io.boxagnts.api.model.ModelInfo;
import io.boxagnts.api.model.ModelProvider;
import io.boxagnts.api.model.ToolCall;
import io.boxagnts.api.model.Usage;
import io.boxagnts.api.session.SessionInfo;
import io.boxagnts.api.session.SessionStore;
import io.boxagnts.api.tool.RegisteredTool;
import io.boxagnts.api.tool.Tool;
import io.boxagnts.api.tool.ToolPermissions;
import io.boxagnts.api.tool.ToolRequest;
import io.boxagnts.api.tool.ToolResult;
import io.boxagnts.api.tool.ToolSpec;
import io.boxagnts.sessions.JsonlSessionStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What fitting every request into a small context costs the agent per turn: sessions of T turns, each turn a model
 * step that reads a 40 KB file and a step that answers, with an instant model and an instant tool, so only the
 * agent's own work is timed. The same sessions run on a 4,096-token window (old outputs dropped, tool outputs capped,
 * the conversation summarised by the instant model, messages cut) and, as the reference in the same JVM and run, on a
 * window so large that the budget never acts (the history is still rebuilt and estimated every step). The two
 * alternate session by session after a warm-up; once with the sessions in memory (the budget's CPU cost alone) and
 * once in the real session store (every event forced to disk, as the runtime runs). Prints a Markdown table.
 * Usage: benchmarks/context-budget.sh [turns=20] [sessions per window=30]
 */
public final class ContextBudgetCost {

    private static final String FILE = "{\"path\":\"docs/chapter.md\",\"content\":\""
            + "Paragraph of the chapter: the service reads its configuration, validates it and starts workers.\\n"
                    .repeat(400) + "\"}";

    private ContextBudgetCost() {}

    /** Reads the file when the user asked; answers after the tool's output; summarises when offered no tools. */
    static final class Model implements ModelProvider {
        final AtomicInteger summaries = new AtomicInteger();

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
            if (request.tools().isEmpty()) {
                summaries.incrementAndGet();
                return new ChatResponse(ChatMessage.assistant("The user asks about a chapter each turn.", List.of()),
                        ChatResponse.FinishReason.STOP, new Usage(3000, 20));
            }
            int size = request.messages().size();
            if (request.messages().get(size - 1).role() == ChatMessage.Role.USER) {
                return new ChatResponse(ChatMessage.assistant("", List.of(new ToolCall("call" + System.nanoTime(),
                        "read_file", "{\"path\":\"docs/chapter.md\"}"))), ChatResponse.FinishReason.TOOL_CALLS,
                        new Usage(1000, 10));
            }
            listener.onDelta(new ChatDelta.Text("The chapter explains the start-up."));
            return new ChatResponse(ChatMessage.assistant("The chapter explains the start-up.", List.of()),
                    ChatResponse.FinishReason.STOP, new Usage(1200, 8));
        }
    }

    record FileTool(ToolSpec spec) implements Tool {
        @Override
        public ToolResult invoke(ToolRequest request) {
            return new ToolResult(FILE, Duration.ZERO);
        }
    }

    /** Sessions in memory: what is timed is the agent's work, not the disk. */
    static final class MemoryStore implements SessionStore {
        private final Map<String, List<AgentEvent>> logs = new ConcurrentHashMap<>();

        @Override
        public SessionInfo create(String title) {
            String id = UUID.randomUUID().toString();
            logs.put(id, new CopyOnWriteArrayList<>());
            return new SessionInfo(id, title, Instant.EPOCH, Instant.EPOCH, 0, Usage.NONE, 0);
        }

        @Override
        public List<SessionInfo> list() {
            return List.of();
        }

        @Override
        public Optional<SessionInfo> info(String id) {
            return Optional.empty();
        }

        @Override
        public List<AgentEvent> events(String id) {
            return List.copyOf(logs.get(id));
        }

        @Override
        public void append(String id, AgentEvent event) {
            logs.get(id).add(event);
        }

        @Override
        public void rename(String id, String title) {
        }

        @Override
        public boolean delete(String id) {
            return logs.remove(id) != null;
        }
    }

    /** Runs one session of {@code turns} turns; answers each turn's time in nanoseconds. */
    private static List<Long> session(AgentLoop loop, SessionStore sessions, int turns) throws Exception {
        String id = sessions.create("budget").id();
        List<Long> times = new ArrayList<>();
        for (int t = 0; t < turns; t++) {
            long started = System.nanoTime();
            AgentEvent.StopReason reason = loop.turn(id, "You are a coding agent.", "What does the chapter say, turn "
                    + t + "?", Permissions.DEFAULT, ApprovalGate.DENY_ALL, event -> { });
            times.add(System.nanoTime() - started);
            if (reason != AgentEvent.StopReason.COMPLETED) {
                throw new IllegalStateException("turn " + t + " ended " + reason);
            }
        }
        return times;
    }

    public static void main(String[] args) throws Exception {
        int turns = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Path dir = Files.createTempDirectory("context-budget");
        System.out.printf("| sessions | window | turns timed | median per turn | p90 | median of turn %d | summaries per "
                + "session |%n", turns);
        System.out.println("|---|---|---|---|---|---|---|");
        String memory = measure("in memory", new MemoryStore(), dir, turns, runs);
        String disk = measure("session store (fsync)", new JsonlSessionStore(dir, Clock.systemUTC()), dir, turns, runs);
        System.out.println();
        System.out.println(memory);
        System.out.println(disk);
        System.gc();
        System.out.printf("heap after GC: %d MB; RSS: %s%n", (Runtime.getRuntime().totalMemory()
                - Runtime.getRuntime().freeMemory()) >> 20, rss());
    }

    /** Prints the two rows of one store; answers the ratio line. */
    private static String measure(String label, SessionStore sessions, Path dir, int turns, int runs) throws Exception {
        AgentTurnBenchmark.Registry tools = new AgentTurnBenchmark.Registry(List.of(new RegisteredTool(new FileTool(
                new ToolSpec("read_file", "Read a file.", null, ToolPermissions.READ, null, "1")), "bench", "1")));
        Model small = new Model();
        Model large = new Model();
        AgentLoop budgeted = new AgentLoop(small, "m", tools, sessions, new AgentLoop.Settings(25, 3,
                Duration.ofSeconds(1), 4_096), Clock.systemUTC(), dir);
        AgentLoop reference = new AgentLoop(large, "m", tools, sessions, new AgentLoop.Settings(25, 3,
                Duration.ofSeconds(1), 1 << 24), Clock.systemUTC(), dir);
        for (int i = 0; i < Math.max(3, runs / 5); i++) { // warm-up: both paths compiled before anything counts
            session(budgeted, sessions, turns);
            session(reference, sessions, turns);
        }
        small.summaries.set(0);
        List<Long> smallTimes = new ArrayList<>();
        List<Long> largeTimes = new ArrayList<>();
        List<Long> smallLast = new ArrayList<>();
        List<Long> largeLast = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            List<Long> s = session(budgeted, sessions, turns);
            List<Long> l = session(reference, sessions, turns);
            smallTimes.addAll(s);
            largeTimes.addAll(l);
            smallLast.add(s.getLast());
            largeLast.add(l.getLast());
        }
        double smallMedian = median(smallTimes);
        double largeMedian = median(largeTimes);
        System.out.printf("| %s | 4,096 tokens (budget acts) | %d | %.3f ms | %.3f ms | %.3f ms | %.1f |%n", label,
                smallTimes.size(), smallMedian / 1e6, pct(smallTimes, 0.9) / 1e6, median(smallLast) / 1e6,
                (double) small.summaries.get() / runs);
        System.out.printf("| %s | reference: 16M tokens (budget never acts) | %d | %.3f ms | %.3f ms | %.3f ms | %d |%n",
                label, largeTimes.size(), largeMedian / 1e6, pct(largeTimes, 0.9) / 1e6, median(largeLast) / 1e6,
                large.summaries.get());
        return String.format("%s: ratio 4,096 / reference %.2f per turn (median), %.2f at turn %d; the budget adds "
                + "%+.3f ms per turn (median)", label, smallMedian / largeMedian, median(smallLast) / median(largeLast),
                turns, (smallMedian - largeMedian) / 1e6);
    }

    private static double median(List<Long> values) {
        return pct(values, 0.5);
    }

    private static double pct(List<Long> values, double q) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get((int) Math.min(sorted.size() - 1, q * sorted.size()));
    }

    private static String rss() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS"))
                .map(l -> l.replaceAll("\\D+", "")).map(kb -> (Long.parseLong(kb) >> 10) + " MB").findFirst()
                .orElse("?");
    }
}
