package io.boxagnts.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When the heap is collected after tool calls: once per burst, after a period without a new call, never during one. */
class IdleCollectionTest {

    private final AtomicLong activity = new AtomicLong();
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicInteger collections = new AtomicInteger();
    private final IdleCollection idle = new IdleCollection(activity::get, busy::get, collections::incrementAndGet);

    @Test
    void anIdleRuntimeThatRanNoCallIsNotCollected() {
        for (int i = 0; i < 5; i++) {
            assertFalse(idle.poll());
        }
        assertEquals(0, collections.get());
    }

    @Test
    void aBurstIsCollectedOnceAfterAPeriodWithoutANewCall() {
        idle.poll();
        activity.addAndGet(3); // calls during the first period
        assertFalse(idle.poll(), "calls came since the last poll: the burst may go on");
        assertTrue(idle.poll(), "a period without a call: collected");
        assertFalse(idle.poll(), "once per burst");
        assertFalse(idle.poll());
        activity.incrementAndGet();
        assertFalse(idle.poll());
        assertTrue(idle.poll(), "the next burst is collected again");
        assertEquals(2, collections.get());
    }

    @Test
    void aCallStillRunningIsNeverInterruptedByACollection() {
        idle.poll();
        activity.incrementAndGet();
        busy.set(true); // one long call: no new arrival, but it runs
        idle.poll();
        assertFalse(idle.poll());
        assertFalse(idle.poll());
        busy.set(false);
        assertTrue(idle.poll());
        assertEquals(1, collections.get());
    }
}
