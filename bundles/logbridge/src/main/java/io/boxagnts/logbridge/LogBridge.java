package io.boxagnts.logbridge;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Listens to the OSGi log and writes what matters to SLF4J. */
@Component(immediate = true, configurationPid = "io.boxagnts.logbridge")
@Designate(ocd = LogBridge.Config.class)
public final class LogBridge implements LogListener {

    @ObjectClassDefinition(name = "BoxAgnts log bridge")
    public @interface Config {
        @AttributeDefinition(description = "Least severe OSGi log level that is forwarded")
        LogLevel threshold() default LogLevel.WARN;
    }

    private final LogReaderService reader;
    private final LogLevel threshold;
    private final LogDeduplicator deduplicator = new LogDeduplicator();
    private long replayedUpTo = -1;

    @Activate
    public LogBridge(@Reference LogReaderService reader, Config config) {
        this.reader = reader;
        this.threshold = config.threshold();
        synchronized (this) {
            reader.addLogListener(this);
            replayHistory();
        }
    }

    @Deactivate
    void deactivate() {
        reader.removeLogListener(this);
    }

    /** The log's history lists the newest entry first; replay it oldest first and remember where it ended. */
    private void replayHistory() {
        List<LogEntry> history = new ArrayList<>(Collections.list(reader.getLog()));
        Collections.reverse(history);
        for (LogEntry entry : history) {
            forward(entry);
            replayedUpTo = Math.max(replayedUpTo, entry.getSequence());
        }
    }

    @Override
    public synchronized void logged(LogEntry entry) {
        if (entry.getSequence() > replayedUpTo) {
            forward(entry);
        }
    }

    private void forward(LogEntry entry) {
        if (!threshold.implies(entry.getLogLevel()) || !deduplicator.firstTime(entry)) {
            return;
        }
        Logger logger = LoggerFactory.getLogger(loggerName(entry));
        String message = entry.getMessage();
        Throwable exception = entry.getException();
        String bundleProblem = BundleProblems.reason(exception);
        if (BundleProblems.refusedByResolverHook(bundleProblem)) {
            return;
        }
        if (bundleProblem != null) {
            // A bundle that cannot resolve or start is the user's to fix, not a bug: one line, no stack trace.
            message = message + ": " + bundleProblem;
            exception = null;
        }
        switch (entry.getLogLevel()) {
            case AUDIT, ERROR -> logger.error(message, exception);
            case WARN -> logger.warn(message, exception);
            case INFO -> logger.info(message, exception);
            case DEBUG -> logger.debug(message, exception);
            default -> logger.trace(message, exception);
        }
    }

    private static String loggerName(LogEntry entry) {
        Bundle bundle = entry.getBundle();
        String name = bundle == null ? null : bundle.getSymbolicName();
        return name == null ? "osgi" : name;
    }
}
