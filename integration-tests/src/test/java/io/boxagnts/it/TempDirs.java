package io.boxagnts.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Temporary folders the tests make, under {@code integration-tests/target/tmp} (the build's, emptied before each run;
 * property {@code boxagnts.test.tmp}) rather than /tmp, and removed with what the runtime wrote into them when the
 * test JVM exits. The Pax Exam JVM may end without running shutdown hooks, so the folder is what keeps /tmp clean.
 */
final class TempDirs {

    private TempDirs() {}

    static Path create(String prefix) throws IOException {
        String base = System.getProperty("boxagnts.test.tmp");
        Path dir = base == null ? Files.createTempDirectory(prefix)
                : Files.createTempDirectory(Files.createDirectories(Path.of(base)), prefix);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
        return dir;
    }

    /**
     * Removes {@code dir} and everything in it, as far as it can: one entry that cannot go (a runtime still writing,
     * a folder a test made unreadable) must not keep the rest in /tmp. Unreadable folders are opened up first.
     */
    static void delete(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attrs) {
                    directory.toFile().setReadable(true);
                    directory.toFile().setWritable(true);
                    directory.toFile().setExecutable(true);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    deleteQuietly(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    deleteQuietly(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException e) {
                    deleteQuietly(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            System.err.println("could not remove " + path + ": " + e);
        }
    }
}
