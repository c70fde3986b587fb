package io.boxagnts.sandbox;

import java.nio.ByteOrder;
import org.graalvm.polyglot.Value;

/**
 * A module instance's exported linear memory, as the host functions a tool imports ({@link WebFetchImport},
 * {@link ReadDirImport}) read their arguments from it and write their answers into it. Every range is checked against
 * the memory's current size first, so a pointer or length outside it is the caller's -1, never an exception, and an
 * answer is never written in part.
 */
final class GuestMemory {

    private final Value memory;

    private GuestMemory(Value memory) {
        this.memory = memory;
    }

    /** The instance's exported memory; null when it exports none that the host can read. */
    static GuestMemory of(Value exportedMemory) {
        return exportedMemory != null && exportedMemory.hasBufferElements() ? new GuestMemory(exportedMemory) : null;
    }

    /**
     * Whether {@code length} bytes at {@code at} lie inside the memory now (it may have grown since the instance
     * started: its size is asked each time).
     */
    boolean holds(long at, long length) {
        return at >= 0 && length >= 0 && at + length <= memory.getBufferSize();
    }

    /** The bytes at {@code at}; the range must be {@link #holds held}. */
    byte[] read(long at, int length) {
        byte[] bytes = new byte[length];
        memory.readBuffer(at, bytes, 0, length);
        return bytes;
    }

    /**
     * Writes {@code bytes} at {@code at}, eight at a time: each write is a call through the polyglot API, and there is
     * no bulk write. The range must be {@link #holds held}.
     */
    void write(long at, byte[] bytes) {
        int i = 0;
        for (; i + 8 <= bytes.length; i += 8) {
            long word = 0;
            for (int b = 7; b >= 0; b--) {
                word = (word << 8) | (bytes[i + b] & 0xffL);
            }
            memory.writeBufferLong(ByteOrder.LITTLE_ENDIAN, at + i, word);
        }
        for (; i < bytes.length; i++) {
            memory.writeBufferByte(at + i, bytes[i]);
        }
    }
}
