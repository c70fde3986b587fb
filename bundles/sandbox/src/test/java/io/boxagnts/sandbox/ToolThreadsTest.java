package io.boxagnts.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.boxagnts.api.tool.ToolError;
import io.boxagnts.api.tool.ToolException;
import io.boxagnts.api.tool.ToolResult;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ToolThreadsTest {

    private static final long MIB = 1 << 20;

    private final ToolThreads threads = new ToolThreads(2);

    @AfterEach
    void close() {
        threads.close();
    }

    @Test
    void aCallFromAVirtualThreadRunsOnAPlatformThreadOfThePool() throws Exception {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        AtomicReference<ToolResult> result = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                result.set(threads.run("t", Duration.ofSeconds(5), MIB, () -> {
                    ranOn.set(Thread.currentThread());
                    return new ToolResult("{}", Duration.ZERO);
                }));
            } catch (ToolException e) {
                throw new AssertionError(e);
            }
        });
        caller.join();
        assertEquals("{}", result.get().output());
        assertFalse(ranOn.get().isVirtual());
        assertTrue(ranOn.get().getName().startsWith("boxagnts-tool-"), ranOn.get().getName());
        assertEquals(2, threads.available(), "the turn is given back");
    }

    @Test
    void aCallFromAPlatformThreadRunsOnThatThread() throws Exception {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        AtomicReference<ToolResult> result = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().name("http-request").start(() -> {
            try {
                result.set(threads.run("t", Duration.ofSeconds(5), MIB, () -> {
                    ranOn.set(Thread.currentThread());
                    assertEquals(1, threads.available(), "the call holds a turn while it runs");
                    return new ToolResult("{}", Duration.ZERO);
                }));
            } catch (ToolException e) {
                throw new AssertionError(e);
            }
        });
        caller.join();
        assertEquals("{}", result.get().output());
        assertEquals(caller, ranOn.get(), "no hand-off to the pool");
        assertEquals(2, threads.available(), "the turn is given back");
    }

    @Test
    void aPlatformCallerThatIsInterruptedEndsItsCallAndKeepsTheInterrupt() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        AtomicReference<Boolean> callEnded = new AtomicReference<>(false);
        AtomicReference<ToolException> failure = new AtomicReference<>();
        AtomicReference<Boolean> callerStillInterrupted = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                threads.run("t", Duration.ofSeconds(5), MIB, () -> {
                    running.countDown();
                    // as a tool's interrupt watch does: it looks at the thread's interrupt, it does not clear it
                    while (!Thread.currentThread().isInterrupted()) {
                        Thread.onSpinWait();
                    }
                    callEnded.set(true);
                    throw new ToolException(ToolError.Kind.UNAVAILABLE, "cancelled");
                });
            } catch (ToolException e) {
                failure.set(e);
            }
            callerStillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        running.await();
        caller.interrupt();
        caller.join();
        assertTrue(callEnded.get());
        assertEquals(ToolError.Kind.UNAVAILABLE, failure.get().error().kind());
        assertTrue(callerStillInterrupted.get(), "the caller's interrupt is kept");
        assertEquals(2, threads.available());
    }

    @Test
    void theCallsFailureReachesTheCallerAsItIs() {
        ToolException failure = assertThrows(ToolException.class, () -> threads.run("t", Duration.ofSeconds(5), MIB, () -> {
            throw new ToolException(ToolError.Kind.TOOL_FAILED, "no such file");
        }));
        assertEquals("no such file", failure.error().message());
        assertThrows(IllegalStateException.class, () -> threads.run("t", Duration.ofSeconds(5), MIB, () -> {
            throw new IllegalStateException("bug");
        }));
        assertEquals(2, threads.available());
    }

    @Test
    void interruptingTheCallerInterruptsTheCallAndWaitsForItToEnd() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        AtomicReference<Boolean> callEnded = new AtomicReference<>(false);
        AtomicReference<Boolean> endedBeforeReturn = new AtomicReference<>();
        AtomicReference<Boolean> callerStillInterrupted = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                threads.run("t", Duration.ofSeconds(5), MIB, () -> {
                    running.countDown();
                    try {
                        Thread.sleep(Duration.ofMinutes(5)); // a tool's interrupt watch sees what this sees
                    } catch (InterruptedException e) {
                        callEnded.set(true);
                        throw new ToolException(ToolError.Kind.UNAVAILABLE, "cancelled");
                    }
                    return new ToolResult("{}", Duration.ZERO);
                });
            } catch (ToolException e) {
                endedBeforeReturn.set(callEnded.get());
            }
            callerStillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        running.await();
        caller.interrupt();
        caller.join();
        assertTrue(endedBeforeReturn.get(), "the call had ended when the caller got its answer");
        assertTrue(callerStillInterrupted.get(), "the caller's interrupt is kept");
        assertEquals(2, threads.available());
    }
}
