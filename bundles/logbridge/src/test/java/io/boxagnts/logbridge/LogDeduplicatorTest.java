package io.boxagnts.logbridge;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;

class LogDeduplicatorTest {

    /** A log entry as the OSGi log would hand it over; only the fields the deduplicator reads matter. */
    private record Entry(String message, Throwable exception) implements LogEntry {
        @Override public Bundle getBundle() { return null; }
        @Override public ServiceReference<?> getServiceReference() { return null; }
        @Override @Deprecated public int getLevel() { return 2; }
        @Override public String getMessage() { return message; }
        @Override public Throwable getException() { return exception; }
        @Override public long getTime() { return 0; }
        @Override public LogLevel getLogLevel() { return LogLevel.WARN; }
        @Override public String getLoggerName() { return "test"; }
        @Override public long getSequence() { return 0; }
        @Override public String getThreadInfo() { return "main"; }
        @Override public StackTraceElement getLocation() { return null; }
    }

    private final LogDeduplicator deduplicator = new LogDeduplicator();

    @Test
    void aRepeatedProblemIsLetThroughOnce() {
        assertTrue(deduplicator.firstTime(new Entry("Error while starting bundle x", new RuntimeException("r"))));
        assertFalse(deduplicator.firstTime(new Entry("Error while starting bundle x", new RuntimeException("r"))));
    }

    @Test
    void aDifferentReasonIsANewProblem() {
        assertTrue(deduplicator.firstTime(new Entry("Error while starting bundle x", new RuntimeException("r1"))));
        assertTrue(deduplicator.firstTime(new Entry("Error while starting bundle x", new RuntimeException("r2"))));
        assertTrue(deduplicator.firstTime(new Entry("Error while starting bundle y", null)));
    }
}
