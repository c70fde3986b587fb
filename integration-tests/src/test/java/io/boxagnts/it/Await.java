package io.boxagnts.it;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits for a condition with a generous deadline: a liveness guard, not a performance assertion. */
final class Await {

    static final Duration DEADLINE = Duration.ofSeconds(60);

    private Await() {}

    static void until(String what, Callable<Boolean> condition) throws Exception {
        until(what, DEADLINE, condition);
    }

    /** For what takes long by nature (the tools' background warm-up: a minute on a busy 2-core machine). */
    static void until(String what, Duration limit, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
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
        throw new AssertionError("timed out after " + limit.toSeconds() + " s waiting until " + what, last);
    }
}
