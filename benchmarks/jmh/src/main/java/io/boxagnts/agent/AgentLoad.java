package io.boxagnts.agent;

import io.boxagnts.api.agent.AgentEvent;
import io.boxagnts.api.model.Usage;
import io.boxagnts.api.tool.RegisteredTool;
import io.boxagnts.api.tool.ToolPermissions;
import io.boxagnts.api.tool.ToolRegistry;
import io.boxagnts.api.tool.ToolSpec;
import io.boxagnts.sessions.JsonlSessionStore;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load test of the agent: S sessions at once, T turns each, every turn two model steps with two parallel tool calls
 * in the first; an instant model and instant tools, the real session store. Prints turn latency percentiles, errors
 * and the heap after a GC. Usage: benchmarks/agent-load.sh [sessions=200] [turns=10]
 */
public final class AgentLoad {

    private AgentLoad() {}

    public static void main(String[] args) throws Exception {
        int sessionCount = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int turns = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Path dir = Files.createTempDirectory("agent-load");
        JsonlSessionStore sessions = new JsonlSessionStore(dir, Clock.systemUTC());
        List<RegisteredTool> tools = List.of(
                new RegisteredTool(new AgentTurnBenchmark.InstantTool(new ToolSpec("grep", "search", null, ToolPermissions.READ, null, "1")), "load", "1"),
                new RegisteredTool(new AgentTurnBenchmark.InstantTool(new ToolSpec("glob", "find", null, ToolPermissions.READ, null, "1")), "load", "1"));
        ToolRegistry registry = new AgentTurnBenchmark.Registry(tools);
        AgentLoop loop = new AgentLoop(new AgentTurnBenchmark.InstantModel("grep", "glob"), "m", registry, sessions, AgentLoop.Settings.DEFAULT,
                Clock.systemUTC(), dir);
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        long started = System.nanoTime();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            for (int s = 0; s < sessionCount; s++) {
                all.add(executor.submit(() -> {
                    String id = sessions.create("load").id();
                    for (int t = 0; t < turns; t++) {
                        long t0 = System.nanoTime();
                        AgentEvent.StopReason reason = loop.turn(id, "You are a coding agent.", "turn " + t,
                                Permissions.DEFAULT, ApprovalGate.DENY_ALL, event -> { });
                        latencies.add(System.nanoTime() - t0);
                        if (reason != AgentEvent.StopReason.COMPLETED) {
                            errors.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                try {
                    f.get();
                } catch (Exception e) {
                    errors.incrementAndGet();
                    e.printStackTrace();
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf("| %d sessions x %d turns | %d turns in %.1f s (%.0f turns/s) | p50 %.1f ms | p99 %.1f ms "
                        + "| errors %d | heap after GC %d MB |%n", sessionCount, turns, sorted.size(), seconds,
                sorted.size() / seconds, pct(sorted, 0.50), pct(sorted, 0.99), errors.get(), heap >> 20);
    }

    private static double pct(List<Long> sorted, double q) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, q * sorted.size())) / 1e6;
    }
}
