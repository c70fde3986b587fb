package io.boxagnts.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A guest's stdout or stderr, kept in memory up to a limit. Past the limit the write fails and {@code onOverflow}
 * runs once (the sandbox cancels the call: a module that ignores write errors would otherwise spin until its
 * time limit).
 */
final class LimitedOutput extends OutputStream {

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final long limit;
    private final Runnable onOverflow;
    private boolean overflowed;

    LimitedOutput(long limit, Runnable onOverflow) {
        this.limit = limit;
        this.onOverflow = onOverflow;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        if (overflowed || buffer.size() + (long) length > limit) {
            if (!overflowed) {
                overflowed = true;
                onOverflow.run();
            }
            throw new IOException("output limit of " + limit + " bytes reached");
        }
        buffer.write(bytes, offset, length);
    }

    synchronized boolean overflowed() {
        return overflowed;
    }

    synchronized byte[] bytes() {
        return buffer.toByteArray();
    }

    synchronized String text() {
        return buffer.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
