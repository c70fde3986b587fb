package io.boxagnts.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirLockTest {

    @TempDir
    Path root;

    @Test
    @SuppressWarnings("try") // each lock is held for its block, which is what is tested
    void aSecondRuntimeOnTheSameDataDirectoryIsRefusedUntilTheFirstHasGone() throws Exception {
        Path data = root.resolve("data");
        try (DataDirLock first = DataDirLock.acquire(data)) {
            assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(data.resolve(DataDirLock.FILE)));
            UsageException refused = assertThrows(UsageException.class, () -> DataDirLock.acquire(data));
            assertTrue(refused.getMessage().contains("is in use by another BoxAgnts (pid "
                    + ProcessHandle.current().pid() + ")"), refused.getMessage());
            assertTrue(refused.getMessage().contains("--data-dir"), refused.getMessage());
        }
        try (DataDirLock again = DataDirLock.acquire(data)) {
            assertTrue(Files.exists(data.resolve(DataDirLock.FILE)));
        }
    }
}
