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

/**
 * Where WASM tool calls run: at most {@code cap} at once, each on one of {@code cap} platform threads. Callers are
 * often virtual threads (an agent turn runs its tool calls on them), and entering a polyglot context on a virtual
 * thread is an experimental path of GraalVM on HotSpot, which warns on the console the first time; on a platform
 * thread it is the supported one. Idle threads end after a while, so an idle runtime holds none.
 */
final class ToolThreads implements AutoCloseable {

    /** A tool call, run on a pool thread. */
    @FunctionalInterface
    interface Call {
        ToolResult run() throws ToolException;
    }

    private static final long IDLE_SECONDS = 30;

    private final Semaphore permits;
    private final ThreadPoolExecutor pool;

    ToolThreads(int cap) {
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
     * Runs {@code call} on a pool thread once one of the {@code cap} turns is free, waiting at most {@code wait}, and
     * returns its result. Interrupting the caller interrupts the call (the tool's interrupt watch then closes its
     * context) and waits for it to end, so a turn is never given back while its call still runs.
     */
    ToolResult run(String tool, Duration wait, Call call) throws ToolException {
        try {
            if (!permits.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ToolException(ToolError.Kind.TOO_MANY_CALLS, "the sandbox is running its maximum of "
                        + "concurrent tool calls; " + tool + " waited " + wait.toMillis() + " ms for a turn");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException(ToolError.Kind.UNAVAILABLE, "interrupted while waiting for a turn");
        }
        try {
            Handoff handoff = new Handoff();
            pool.execute(handoff.task(call));
            return handoff.await();
        } finally {
            permits.release();
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
