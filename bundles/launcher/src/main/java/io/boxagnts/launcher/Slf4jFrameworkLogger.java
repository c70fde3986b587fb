package io.boxagnts.launcher;

import org.apache.felix.framework.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.slf4j.LoggerFactory;

/**
 * Felix's own messages (resolution failures, listener exceptions) go to the same console as everything else, under
 * the name of the bundle concerned.
 */
final class Slf4jFrameworkLogger extends Logger {

    @Override
    protected void doLogOut(int level, String message, Throwable throwable) {
        forward(null, level, message, throwable);
    }

    @Override
    @SuppressWarnings("rawtypes") // the signature Felix declares
    protected void doLog(Bundle bundle, ServiceReference ref, int level, String message, Throwable throwable) {
        forward(bundle, level, message, throwable);
    }

    private static void forward(Bundle bundle, int level, String message, Throwable throwable) {
        String name = bundle == null || bundle.getSymbolicName() == null ? "org.apache.felix.framework"
                : bundle.getSymbolicName();
        org.slf4j.Logger logger = LoggerFactory.getLogger(name);
        switch (level) {
            case LOG_ERROR -> logger.error(message, throwable);
            case LOG_WARNING -> logger.warn(message, throwable);
            case LOG_INFO -> logger.info(message, throwable);
            default -> logger.debug(message, throwable);
        }
    }
}
