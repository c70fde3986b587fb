package io.boxagnts.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SignInFailuresTest {

    private Instant now = Instant.parse("2026-11-27T06:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void aFloodIsRecordedAtTwentyAMinuteAndTheNextRecordCountsWhatWasLeftOut() {
        SignInFailures failures = new SignInFailures(clock);
        for (int i = 0; i < SignInFailures.PER_MINUTE; i++) {
            assertEquals(0, failures.admit());
        }
        for (int i = 0; i < 500; i++) {
            assertEquals(-1, failures.admit());
        }
        now = now.plus(Duration.ofSeconds(59));
        assertEquals(-1, failures.admit());
        now = now.plus(Duration.ofSeconds(1));
        assertEquals(501, failures.admit());
        assertEquals(0, failures.admit());
    }
}
