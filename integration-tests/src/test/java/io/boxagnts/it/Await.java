package io.boxagnts.it;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits for a condition with a generous deadline: a liveness guard, not a performance assertion. */
final class Await {

    static final Duration DEADLINE = Duration.ofSeconds(60);

    private Await() {}

    static void until(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("timed out after " + DEADLINE.toSeconds() + " s waiting until " + what, last);
    }
}
