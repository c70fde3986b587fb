package io.boxagnts.launcher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One runtime per data directory. Two on one would rebuild the same framework cache under each other (bundles vanish,
 * tools go missing) and append to the same sessions and audit chain; the second start refuses instead. The lock is
 * the kernel's ({@code fcntl} via {@link FileChannel#tryLock}): it goes with the process, however it ends, so a
 * killed runtime leaves nothing to clean up. The file holds the holder's pid, for the message.
 */
final class DataDirLock implements AutoCloseable {

    static final String FILE = "boxagnts.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataDirLock acquire(Path dataDir) throws UsageException {
        Path file = dataDir.resolve(FILE);
        FileChannel channel = null;
        try {
            Files.createDirectories(dataDir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
                channel.close();
                throw new UsageException("the data directory " + dataDir + " is in use by another BoxAgnts"
                        + (holder.isEmpty() ? "" : " (pid " + holder + ")") + "; stop that one first, or give this one "
                        + "its own with --data-dir DIR");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
            channel.force(false);
            return new DataDirLock(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UsageException("the data directory " + dataDir + " cannot be locked (" + e.getMessage()
                    + "); check that it is writable, or choose another with --data-dir DIR");
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by this JVM already
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // nothing was locked
        }
    }

    /** Gives the data directory back; if that fails, the kernel does it as the process ends. */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // released with the channel below, or with the process
        }
        closeQuietly(channel);
    }
}
