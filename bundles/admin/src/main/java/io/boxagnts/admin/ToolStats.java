package io.boxagnts.admin;

import io.boxagnts.api.tool.ToolCallListener;
import io.boxagnts.api.tool.ToolCallRecord;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import org.osgi.service.component.annotations.Component;

/**
 * Calls, errors and latency of every tool since the runtime started, as the tool registry reports each call (from the
 * agent, the API or the console; refusals count as errors).
 */
@Component(service = {ToolCallListener.class, ToolStats.class})
public final class ToolStats implements ToolCallListener {

    /** What one tool did since start; durations in milliseconds, percentiles at most 5% high. */
    record Summary(long calls, long errors, double p50Ms, double p90Ms, double p99Ms, double maxMs) {
        static final Summary NONE = new Summary(0, 0, 0, 0, 0, 0);
    }

    private static final class Counters {
        final AtomicLong calls = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final LongAccumulator max = new LongAccumulator(Math::max, 0);
        final LatencyHistogram latency = new LatencyHistogram();
    }

    private final Map<String, Counters> tools = new ConcurrentHashMap<>();

    @Override
    public void toolCalled(ToolCallRecord call) {
        Counters counters = tools.computeIfAbsent(call.tool(), name -> new Counters());
        long nanos = call.duration().toNanos();
        counters.calls.incrementAndGet();
        if (!call.succeeded()) {
            counters.errors.incrementAndGet();
        }
        counters.max.accumulate(nanos);
        counters.latency.record(nanos);
    }

    Summary of(String tool) {
        Counters counters = tools.get(tool);
        if (counters == null) {
            return Summary.NONE;
        }
        return new Summary(counters.calls.get(), counters.errors.get(), millis(counters.latency.percentile(0.5)),
                millis(counters.latency.percentile(0.9)), millis(counters.latency.percentile(0.99)),
                millis(counters.max.get()));
    }

    private static double millis(double nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }
}
