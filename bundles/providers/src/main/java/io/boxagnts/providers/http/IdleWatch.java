package io.boxagnts.providers.http;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Ends a stream that went silent: once its first line came, a stream quiet for longer than the idle time is closed,
 * which makes the blocked read fail at once instead of waiting for the socket (a server shutting down may hold the
 * connection for half a minute). Before the first line the wait is the response timeout's business: a local server
 * reads the whole prompt before it says anything.
 */
final class IdleWatch {

    private final InputStream body;
    private final long idleNanos;
    private final Thread watcher;
    private volatile long lastHeard;
    private volatile boolean heardOnce;
    private volatile boolean stopped;
    private volatile boolean expired;

    IdleWatch(InputStream body, Duration idle) {
        this.body = body;
        this.idleNanos = idle.toNanos();
        this.watcher = idle.isZero() || idle.isNegative() ? null
                : Thread.ofVirtual().name("boxagnts-stream-idle-watch").start(this::watch);
    }

    void heard() {
        lastHeard = System.nanoTime();
        heardOnce = true;
    }

    /** Whether the watch closed the stream because it was silent too long. */
    boolean expired() {
        return expired;
    }

    void stop() {
        stopped = true;
        if (watcher != null) {
            LockSupport.unpark(watcher);
        }
    }

    private void watch() {
        while (!stopped) {
            long left = heardOnce ? idleNanos - (System.nanoTime() - lastHeard) : idleNanos;
            if (heardOnce && left <= 0) {
                expired = true;
                try {
                    body.close();
                } catch (IOException e) {
                    // closing is all we can do; the read fails either way
                }
                return;
            }
            LockSupport.parkNanos(Math.max(left, 1_000_000L));
        }
    }
}
