package io.boxagnts.admin;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a console action did, kept for the page the browser is redirected to after its POST (post/redirect/get: a
 * reload then shows the page, it does not repeat an upload or an uninstall). The redirect names an outcome by a random
 * id, read once, so a crafted link cannot make the console show a message it did not produce; the oldest are
 * forgotten first, so a browser that never follows its redirects costs a bounded amount of memory.
 */
final class ActionOutcomes<T> {

    private static final int KEPT = 64;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, T> outcomes = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, T> eldest) {
            return size() > KEPT;
        }
    };

    /** Keeps an outcome; answers the id that {@link #take} returns it for, once. */
    synchronized String put(T outcome) {
        byte[] id = new byte[16];
        random.nextBytes(id);
        String key = HexFormat.of().formatHex(id);
        outcomes.put(key, outcome);
        return key;
    }

    synchronized Optional<T> take(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(outcomes.remove(id));
    }
}
