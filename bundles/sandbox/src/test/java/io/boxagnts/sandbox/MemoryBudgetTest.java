package io.boxagnts.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.boxagnts.api.tool.ToolError;
import io.boxagnts.api.tool.ToolException;
import io.boxagnts.api.tool.ToolResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The memory budget of the calls running at once: how it is derived, and how calls take and give it back. */
class MemoryBudgetTest {

    private static final long MIB = 1 << 20;
    private static final Duration LONG = Duration.ofMinutes(5);

    private final MemoryBudget budget = new MemoryBudget(128 * MIB, "test");
    private final ToolThreads threads = new ToolThreads(4, budget);
    private final List<Thread> started = new ArrayList<>();

    @AfterEach
    void close() throws InterruptedException {
        for (Thread thread : started) {
            thread.interrupt();
            thread.join();
        }
        threads.close();
    }

    @Test
    void derivedFromTheHeapLessTheReserveButAtLeastHalfOfIt() {
        MemoryBudget launcher = MemoryBudget.configured(0, 192, 448 * MIB);
        assertEquals(256 * MIB, launcher.bytes());
        assertTrue(launcher.origin().contains("Java heap of 448 MiB less 192 MiB"), launcher.origin());
        assertEquals(128 * MIB, MemoryBudget.configured(0, 192, 256 * MIB).bytes(), "half of a small heap");
        assertEquals(100 * MIB, MemoryBudget.configured(100, 192, 448 * MIB).bytes());
        MemoryBudget tooLarge = MemoryBudget.configured(1024, 192, 448 * MIB);
        assertEquals(256 * MIB, tooLarge.bytes(), "a budget the heap cannot hold is cut to what it can");
        assertTrue(tooLarge.origin().startsWith("memoryBudgetMb 1024 cut to the Java heap"), tooLarge.origin());
    }

    @Test
    void aToolThatAsksForMoreThanTheBudgetIsRefusedSayingSo() {
        ToolDescriptor.Caps caps = ToolDescriptor.Caps.within(Duration.ofMinutes(1), 512 * MIB, 1 << 20, budget);
        assertEquals(128 * MIB, caps.memoryBytes());
        String descriptor = "{\"name\":\"js\",\"description\":\"d\",\"inputSchema\":{\"type\":\"object\"},"
                + "\"limits\":{\"maxMemoryMb\":%d}}";
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ToolDescriptor.parse(descriptor.formatted(256), "1", caps));
        assertEquals("limits.maxMemoryMb 256 is above the sandbox's memory budget for all calls at once: 128 MiB "
                + "(test)", refused.getMessage());
        assertEquals(128 * MIB, ToolDescriptor.parse(descriptor.formatted(128), "1", caps).spec().limits()
                .maxMemoryBytes());
        assertEquals(512 * MIB, ToolDescriptor.Caps.within(Duration.ofMinutes(1), 512 * MIB, 1 << 20,
                new MemoryBudget(1024 * MIB, "large")).memoryBytes(), "the runtime's cap when it is the lower");
    }

    /** A call that holds its memory until {@code release} opens, and records the most memory held at once. */
    private Thread holding(long bytes, CountDownLatch release, AtomicLong held, AtomicLong mostHeld,
            AtomicReference<Object> outcome) {
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                outcome.set(threads.run("t", LONG, bytes, () -> {
                    mostHeld.accumulateAndGet(held.addAndGet(bytes), Math::max);
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new ToolException(ToolError.Kind.UNAVAILABLE, "cancelled");
                    } finally {
                        held.addAndGet(-bytes);
                    }
                    return new ToolResult("{}", Duration.ZERO);
                }));
            } catch (ToolException e) {
                outcome.set(e.error());
            }
        });
        started.add(caller);
        return caller;
    }

    private static void spinUntil(BooleanSupplier done) {
        while (!done.getAsBoolean()) {
            Thread.onSpinWait();
        }
    }

    private void awaitAvailable(long bytes) {
        spinUntil(() -> budget.available() == bytes);
    }

    private static void awaitHeld(AtomicLong held, long bytes) {
        spinUntil(() -> held.get() == bytes);
    }

    private void awaitWaiting(int calls) {
        spinUntil(() -> budget.waiting() == calls);
    }

    @Test
    void aCallThatDoesNotFitWaitsUntilRunningCallsGiveTheirMemoryBack() throws Exception {
        AtomicLong held = new AtomicLong();
        AtomicLong mostHeld = new AtomicLong();
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch rest = new CountDownLatch(1);
        AtomicReference<Object> a = new AtomicReference<>();
        AtomicReference<Object> b = new AtomicReference<>();
        AtomicReference<Object> c = new AtomicReference<>();
        Thread callA = holding(64 * MIB, first, held, mostHeld, a);
        holding(64 * MIB, rest, held, mostHeld, b);
        // both bodies running, not only their memory taken: a body that starts late would see the latch open
        awaitHeld(held, 128 * MIB);
        Thread callC = holding(64 * MIB, rest, held, mostHeld, c);
        awaitWaiting(1);
        assertEquals(0, budget.available(), "the third call waits: a turn is free, the memory is not");
        assertEquals(1, threads.available(), "it waits for memory, not for a turn: it holds the third of four");

        first.countDown();
        callA.join();
        awaitWaiting(0);
        awaitHeld(held, 128 * MIB);
        rest.countDown();
        callC.join();
        for (Thread thread : started) {
            thread.join();
        }
        assertEquals("{}", ((ToolResult) a.get()).output());
        assertEquals("{}", ((ToolResult) b.get()).output());
        assertEquals("{}", ((ToolResult) c.get()).output());
        assertEquals(128 * MIB, mostHeld.get(), "never more than the budget at once");
        assertEquals(128 * MIB, budget.available());
        assertEquals(4, threads.available());
    }

    @Test
    void aCallThatWaitedItsTimeForMemoryEndsWithMemoryBudget() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        holding(96 * MIB, release, new AtomicLong(), new AtomicLong(), new AtomicReference<>());
        awaitAvailable(32 * MIB);
        AtomicReference<String> ran = new AtomicReference<>();
        ToolException e = assertThrows(ToolException.class, () -> threads.run("grep", Duration.ofMillis(50), 64 * MIB,
                () -> {
                    ran.set("ran");
                    return new ToolResult("{}", Duration.ZERO);
                }));
        assertEquals(ToolError.Kind.MEMORY_BUDGET, e.error().kind());
        assertTrue(e.error().message().startsWith("grep needs 64 MiB of the sandbox's memory budget of 128 MiB (test); "
                + "the calls running now hold 96 MiB of it"), e.error().message());
        assertEquals(null, ran.get());
        assertEquals(32 * MIB, budget.available(), "nothing taken by the call that gave up");
        assertEquals(3, threads.available(), "its turn is given back");
        release.countDown();
        awaitAvailable(128 * MIB);
    }

    @Test
    void callsTakeMemoryInArrivalOrderSoALargeOneIsNotOvertaken() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        holding(96 * MIB, release, new AtomicLong(), new AtomicLong(), new AtomicReference<>());
        awaitAvailable(32 * MIB);
        AtomicReference<Object> large = new AtomicReference<>();
        holding(64 * MIB, new CountDownLatch(0), new AtomicLong(), new AtomicLong(), large);
        awaitWaiting(1);
        // 32 MiB are free, but the 64 MiB call came first
        ToolException small = assertThrows(ToolException.class, () -> threads.run("t", Duration.ofMillis(50), 16 * MIB,
                () -> new ToolResult("{}", Duration.ZERO)));
        assertEquals(ToolError.Kind.MEMORY_BUDGET, small.error().kind());
        release.countDown();
        for (Thread thread : started) {
            thread.join();
        }
        assertEquals("{}", ((ToolResult) large.get()).output());
        assertEquals(128 * MIB, budget.available());
    }

    @Test
    void aToolThatMayUseMoreThanTheWholeBudgetIsRefusedAtOnce() {
        ToolException e = assertThrows(ToolException.class, () -> threads.run("js", LONG, 129 * MIB,
                () -> new ToolResult("{}", Duration.ZERO)));
        assertEquals(ToolError.Kind.MEMORY_LIMIT, e.error().kind());
        assertEquals("js may use 129 MiB of memory, more than the sandbox's memory budget for all calls at once: "
                + "128 MiB (test)", e.error().message());
        assertEquals(128 * MIB, budget.available());
    }

    @Test
    void memoryIsGivenBackHoweverTheCallEnds() throws Exception {
        assertThrows(ToolException.class, () -> threads.run("t", LONG, 64 * MIB, () -> {
            throw new ToolException(ToolError.Kind.TIMEOUT, "stopped at its time limit");
        }));
        assertEquals(128 * MIB, budget.available());
        assertThrows(IllegalStateException.class, () -> threads.run("t", LONG, 64 * MIB, () -> {
            throw new IllegalStateException("bug");
        }));
        assertEquals(128 * MIB, budget.available());
        assertThrows(StackOverflowError.class, () -> threads.run("t", LONG, 64 * MIB, () -> {
            throw new StackOverflowError();
        }));
        assertEquals(128 * MIB, budget.available());

        AtomicReference<Object> cancelled = new AtomicReference<>();
        AtomicLong held = new AtomicLong();
        Thread caller = holding(128 * MIB, new CountDownLatch(1), held, new AtomicLong(), cancelled);
        while (held.get() == 0) {
            Thread.onSpinWait(); // the call runs
        }
        caller.interrupt();
        caller.join();
        assertEquals(new ToolError(ToolError.Kind.UNAVAILABLE, "cancelled"), cancelled.get());
        assertEquals(128 * MIB, budget.available(), "given back once the interrupted call has ended");
        assertEquals(4, threads.available());
    }

    @Test
    void aCallerInterruptedWhileWaitingForMemoryTakesNothing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        holding(128 * MIB, release, new AtomicLong(), new AtomicLong(), new AtomicReference<>());
        awaitAvailable(0);
        AtomicReference<Object> waiting = new AtomicReference<>();
        Thread caller = holding(64 * MIB, new CountDownLatch(0), new AtomicLong(), new AtomicLong(), waiting);
        awaitWaiting(1);
        caller.interrupt();
        caller.join();
        assertEquals(new ToolError(ToolError.Kind.UNAVAILABLE, "interrupted while waiting for memory"), waiting.get());
        release.countDown();
        awaitAvailable(128 * MIB);
        assertEquals(0, budget.waiting());
    }
}
