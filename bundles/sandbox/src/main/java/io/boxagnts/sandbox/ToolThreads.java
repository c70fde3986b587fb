package io.boxagnts.sandbox;

import io.boxagnts.api.tool.ToolError;
import io.boxagnts.api.tool.ToolException;
import io.boxagnts.api.tool.ToolResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Where WASM tool calls run: at most {@code cap} at once, and only while the memory maxima of the running calls fit the
 * {@link MemoryBudget}. A call from a virtual thread (an agent turn runs its tool calls on them) is handed to one of
 * {@code cap} platform threads: entering a polyglot context on a virtual thread is an experimental path of GraalVM on
 * HotSpot, which warns on the console the first time; on a platform thread it is the supported one. A call from a
 * platform thread (an HTTP request's) runs on that thread: handing it over would cost two thread wake-ups, which take
 * milliseconds whenever the cores are busy (decision 0037). Idle pool threads end after a while, so an idle runtime
 * holds none.
 */
final class ToolThreads implements AutoCloseable {

    /** A tool call, run on a pool thread. */
    @FunctionalInterface
    interface Call {
        ToolResult run() throws ToolException;
    }

    private static final long IDLE_SECONDS = 30;

    private static final long MIB = 1 << 20;

    private final Semaphore permits;
    private final MemoryBudget memory;
    private final ThreadPoolExecutor pool;

    /** Calls with no memory budget beyond the heap. */
    ToolThreads(int cap) {
        this(cap, MemoryBudget.unlimited());
    }

    ToolThreads(int cap, MemoryBudget memory) {
        this.memory = memory;
        int size = Math.max(1, cap);
        this.permits = new Semaphore(size, true);
        this.pool = new ThreadPoolExecutor(size, size, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                Thread.ofPlatform().name("boxagnts-tool-", 1).daemon().factory());
        pool.allowCoreThreadTimeOut(true);
    }

    /** Calls that may start now without waiting. */
    int available() {
        return permits.availablePermits();
    }

    /**
     * Runs {@code call} once one of the {@code cap} turns is free and {@code memoryBytes} fit the memory budget,
     * waiting at most {@code wait} for both, and returns its result: on the calling thread when that is a platform
     * thread, else on a pool thread. The turn and the memory are given back when the call has ended, whichever way.
     * Interrupting the caller interrupts the call (the tool's interrupt watch then closes its context) and waits for it
     * to end, so neither is given back while its call still runs.
     *
     * @param memoryBytes the most linear memory the call may grow to
     */
    ToolResult run(String tool, Duration wait, long memoryBytes, Call call) throws ToolException {
        if (memoryBytes > memory.bytes()) {
            throw new ToolException(ToolError.Kind.MEMORY_LIMIT, tool + " may use " + memoryBytes / MIB + " MiB of "
                    + "memory, more than the sandbox's memory budget for all calls at once: " + memory);
        }
        long deadline = System.nanoTime() + wait.toNanos();
        take(() -> permits.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS), "a turn",
                () -> new ToolException(ToolError.Kind.TOO_MANY_CALLS, "the sandbox is running its maximum of "
                        + "concurrent tool calls; " + tool + " waited " + wait.toMillis() + " ms for a turn"));
        try {
            take(() -> memory.tryTake(memoryBytes, deadline - System.nanoTime()), "memory",
                    () -> new ToolException(ToolError.Kind.MEMORY_BUDGET, tool + " needs " + memoryBytes / MIB
                            + " MiB of the sandbox's memory budget of " + memory + "; the calls running now hold "
                            + (memory.bytes() - memory.available()) / MIB + " MiB of it, and " + tool + " waited "
                            + wait.toMillis() + " ms for them"));
            try {
                if (!Thread.currentThread().isVirtual()) {
                    // The tool's interrupt watch looks at the thread that runs the call: here, the caller itself.
                    return call.run();
                }
                Handoff handoff = new Handoff();
                pool.execute(handoff.task(call));
                return handoff.await();
            } finally {
                memory.giveBack(memoryBytes);
            }
        } finally {
            permits.release();
        }
    }

    /** A bounded wait for what a call needs. */
    @FunctionalInterface
    private interface Wait {
        boolean done() throws InterruptedException;
    }

    private static void take(Wait wait, String what, Supplier<ToolException> timedOut)
            throws ToolException {
        try {
            if (!wait.done()) {
                throw timedOut.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException(ToolError.Kind.UNAVAILABLE, "interrupted while waiting for " + what);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** One call between its caller and the pool thread that runs it. */
    private static final class Handoff {
        private final CompletableFuture<ToolResult> result = new CompletableFuture<>();
        private Thread worker;
        private boolean cancelled;

        Runnable task(Call call) {
            return () -> {
                synchronized (this) {
                    if (cancelled) {
                        result.completeExceptionally(cancelledError());
                        return;
                    }
                    worker = Thread.currentThread();
                }
                try {
                    result.complete(call.run());
                } catch (ToolException | RuntimeException | Error e) {
                    result.completeExceptionally(e);
                } finally {
                    synchronized (this) {
                        worker = null;
                    }
                    Thread.interrupted(); // a cancellation that came late must not reach the pool's next call
                }
            };
        }

        ToolResult await() throws ToolException {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return result.get();
                    } catch (InterruptedException e) {
                        interrupted = true;
                        cancel();
                    } catch (ExecutionException e) {
                        throw unwrap(e.getCause());
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private synchronized void cancel() {
            cancelled = true;
            if (worker != null) {
                worker.interrupt();
            }
        }

        private static ToolException unwrap(Throwable cause) {
            Throwable failure = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause()
                    : cause;
            if (failure instanceof ToolException e) {
                return e;
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            return new ToolException(ToolError.Kind.INTERNAL, String.valueOf(failure));
        }

        private static ToolException cancelledError() {
            return new ToolException(ToolError.Kind.UNAVAILABLE, "the call was cancelled before it started");
        }
    }
}
