package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The archives the build packs (distribution/src/build/profiles.sh: {@code boxagnts-PROFILE-VERSION.tar.gz} and
 * {@code .zip} next to the image), unpacked with the system's own tar or unzip, as a user unpacks them.
 */
final class DistributionArchives {

    private DistributionArchives() {}

    /** The archive the build packed for a profile, in a format ({@code tar.gz} or {@code zip}). */
    static Path of(String profile, String format) {
        return BoxagntsProcess.DIST.getParent().resolve("boxagnts-" + profile + "-" + version() + "." + format);
    }

    /** The version the build stamped into the archives' names. */
    static String version() {
        return System.getProperty("boxagnts.version");
    }

    /** Unpacks {@code archive} into {@code into} (made if missing) and returns the one folder it holds. */
    static Path unpack(Path archive, Path into) throws Exception {
        assertTrue(archive + " was built", Files.isRegularFile(archive));
        Files.createDirectories(into);
        List<String> command = archive.getFileName().toString().endsWith(".zip")
                ? List.of("unzip", "-q", archive.toString(), "-d", into.toString())
                : List.of("tar", "-xzf", archive.toString(), "-C", into.toString());
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertEquals(String.join(" ", command), 0, process.waitFor());
        try (DirectoryStream<Path> content = Files.newDirectoryStream(into)) {
            List<Path> folders = new ArrayList<>();
            content.forEach(folders::add);
            assertEquals(folders.toString(), 1, folders.size());
            return folders.get(0);
        }
    }
}
