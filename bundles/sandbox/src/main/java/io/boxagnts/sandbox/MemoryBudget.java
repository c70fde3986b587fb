package io.boxagnts.sandbox;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The Java heap that the linear memories of tool calls running at once may take: GraalWasm keeps a module's linear
 * memory in a {@code byte[]} on the heap, and the runtime ends on an {@code OutOfMemoryError}, so the sum of the memory
 * maxima of the running calls must stay within what the heap has beside the runtime's own use (decision 0028). A call
 * takes its maximum before it starts and gives it back when it ends, however it ends; one that does not fit waits, in
 * arrival order (a large call is not overtaken for ever by small ones), for at most the time it is given.
 *
 * <p>Counted in WASM pages (64 KiB), the unit linear memories grow in, so that a semaphore's {@code int} permits cover
 * any heap.
 */
final class MemoryBudget {

    static final long PAGE = 64 * 1024;
    private static final long MIB = 1 << 20;

    private final long bytes;
    private final String origin;
    private final Semaphore pages;

    /**
     * @param bytes the budget
     * @param origin where it comes from, in words, for messages ("memoryBudgetMb", or the heap it was derived from)
     */
    MemoryBudget(long bytes, String origin) {
        this.bytes = bytes / PAGE * PAGE;
        this.origin = origin;
        this.pages = new Semaphore((int) Math.min(Integer.MAX_VALUE, this.bytes / PAGE), true);
    }

    /** No limit beyond the heap: for uses outside the runtime (tests of other things, one-off runs). */
    static MemoryBudget unlimited() {
        return new MemoryBudget((long) Integer.MAX_VALUE * PAGE, "unlimited");
    }

    /**
     * The budget the configuration asks for. Derived from the heap when {@code configuredMb} is 0: the maximum heap
     * minus {@code reserveMb} for the runtime itself (framework, HTTP, agent, the Graal compiler's work, and the copy a
     * growing linear memory makes of itself), but at least half the heap, so that a small heap still runs the core
     * tools one or two at a time. A configured budget above that is cut to it: more would let tools exhaust the heap.
     *
     * @param maxHeapBytes {@code Runtime.maxMemory()}
     */
    static MemoryBudget configured(long configuredMb, long reserveMb, long maxHeapBytes) {
        long derived = Math.max(maxHeapBytes - reserveMb * MIB, maxHeapBytes / 2);
        String heap = "the Java heap of " + maxHeapBytes / MIB + " MiB less " + (maxHeapBytes - derived) / MIB
                + " MiB kept for the runtime; -Xmx in BOXAGNTS_JAVA_OPTS sets the heap";
        if (configuredMb <= 0) {
            return new MemoryBudget(derived, heap);
        }
        if (configuredMb * MIB > derived) {
            return new MemoryBudget(derived, "memoryBudgetMb " + configuredMb + " cut to " + heap);
        }
        return new MemoryBudget(configuredMb * MIB, "memoryBudgetMb in io.boxagnts.sandbox");
    }

    long bytes() {
        return bytes;
    }

    String origin() {
        return origin;
    }

    /** Bytes not taken by running calls now. */
    long available() {
        return pages.availablePermits() * PAGE;
    }

    /** Calls waiting for memory now. */
    int waiting() {
        return pages.getQueueLength();
    }

    /** Takes {@code bytes} (at most {@link #bytes()}) within {@code timeoutNanos}; false when it did not fit in time. */
    boolean tryTake(long bytes, long timeoutNanos) throws InterruptedException {
        return pages.tryAcquire(pagesOf(bytes), Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
    }

    /** Gives back what {@link #tryTake} took. */
    void giveBack(long bytes) {
        pages.release(pagesOf(bytes));
    }

    private static int pagesOf(long bytes) {
        return (int) Math.max(0, (bytes + PAGE - 1) / PAGE);
    }

    @Override
    public String toString() {
        return bytes / MIB + " MiB (" + origin + ")";
    }
}
