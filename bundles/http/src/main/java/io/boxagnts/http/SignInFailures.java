package io.boxagnts.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How many sign-in failures go to the audit log: each record is forced to disk, so a client guessing tokens in a loop
 * must not turn into as many disk writes. At most {@link #PER_MINUTE} a minute are recorded; the first one recorded
 * after a quiet spell says how many were left out.
 */
final class SignInFailures {

    static final int PER_MINUTE = 20;
    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final Clock clock;
    private Instant windowStart = Instant.MIN;
    private int inWindow;
    private long suppressed;

    SignInFailures(Clock clock) {
        this.clock = clock;
    }

    /** @return -1 when this failure is not to be recorded, else how many were not recorded since the last one that was */
    synchronized long admit() {
        Instant now = clock.instant();
        if (windowStart == Instant.MIN || !now.isBefore(windowStart.plus(WINDOW))) {
            windowStart = now;
            inWindow = 0;
        }
        if (inWindow >= PER_MINUTE) {
            suppressed++;
            return -1;
        }
        inWindow++;
        long left = suppressed;
        suppressed = 0;
        return left;
    }
}
