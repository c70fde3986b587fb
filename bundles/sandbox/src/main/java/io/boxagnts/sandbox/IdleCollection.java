package io.boxagnts.sandbox;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Gives the heap back after a burst of tool calls. SerialGC returns heap to the system only at a full collection (down
 * to {@code MaxHeapFreeRatio} free), and none comes while the runtime is idle, so the garbage of the last calls
 * (linear memories, the interpreter's and the compiler's work) would stay committed until the next burst; G1 has a
 * periodic collection for this, SerialGC none (decision 0028). Polled once a period: when the tool activity (real
 * calls and warm-up runs) has not changed since the last poll, none is running, and there was activity since the last
 * collection, it collects once.
 */
final class IdleCollection {

    /** Seconds between polls: a burst counts as over after one to two of them without a new call. */
    static final long PERIOD_SECONDS = 10;

    private final LongSupplier activity;
    private final BooleanSupplier busy;
    private final Runnable collect;
    private long seen = -1;
    private long collectedAt;

    /**
     * @param activity a count that grows with every tool call and warm-up run
     * @param busy whether a real call is running now
     * @param collect the collection ({@code System::gc} in the runtime)
     */
    IdleCollection(LongSupplier activity, BooleanSupplier busy, Runnable collect) {
        this.activity = activity;
        this.busy = busy;
        this.collect = collect;
    }

    /** One poll; true when it collected. */
    synchronized boolean poll() {
        long now = activity.getAsLong();
        boolean still = now == seen;
        seen = now;
        if (still && now != collectedAt && !busy.getAsBoolean()) {
            collectedAt = now;
            collect.run();
            return true;
        }
        return false;
    }
}
