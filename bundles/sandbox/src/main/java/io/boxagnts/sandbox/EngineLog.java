package io.boxagnts.sandbox;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.osgi.service.log.Logger;

/**
 * The GraalWasm engine's own log, into the OSGi log: the log bridge then decides what reaches the console (warnings
 * and errors, each once) like it does for the framework's. Without a handler the engine writes to stderr itself,
 * with a paragraph on how to redirect its log.
 */
final class EngineLog extends Handler {

    private final Logger logger;
    private final SimpleFormatter formatter = new SimpleFormatter();

    EngineLog(Logger logger) {
        this.logger = logger;
    }

    @Override
    public void publish(LogRecord entry) {
        String message = "GraalWasm " + entry.getLoggerName() + ": " + formatter.formatMessage(entry);
        Throwable thrown = entry.getThrown();
        int level = entry.getLevel().intValue();
        if (level >= Level.SEVERE.intValue()) {
            logger.error(message, thrown);
        } else if (level >= Level.WARNING.intValue()) {
            logger.warn(message, thrown);
        } else if (level >= Level.INFO.intValue()) {
            logger.info(message, thrown);
        } else {
            logger.debug(message, thrown);
        }
    }

    @Override
    public void flush() {
        // every entry is handed on at once
    }

    @Override
    public void close() {
        // the OSGi log belongs to the framework
    }
}
