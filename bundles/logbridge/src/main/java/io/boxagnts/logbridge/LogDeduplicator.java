package io.boxagnts.logbridge;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.osgi.framework.Bundle;
import org.osgi.service.log.LogEntry;

/**
 * Lets each distinct problem through once. Some sources repeat the same failure on every poll (FileInstall retries a
 * bundle that cannot start); the user must see it once, with its reason, and not a flood. A bundle that is installed
 * again (a new jar) gets a new bundle id and so is reported afresh.
 */
final class LogDeduplicator {

    private static final int REMEMBERED = 1024;

    private record Key(long bundleId, String message, String exception) {}

    private final Map<Key, Boolean> seen = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    });

    boolean firstTime(LogEntry entry) {
        Bundle bundle = entry.getBundle();
        Throwable exception = entry.getException();
        Key key = new Key(
                bundle == null ? -1 : bundle.getBundleId(),
                Objects.requireNonNullElse(entry.getMessage(), ""),
                exception == null ? "" : String.valueOf(exception.getMessage()));
        return seen.put(key, Boolean.TRUE) == null;
    }
}
