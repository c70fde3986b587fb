package io.boxagnts.launcher;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The access token the HTTP API requires: one line in a file only its owner can read. The default file in the data
 * directory is created at first start; a file the user names must already exist.
 */
public final class AccessTokenFile {

    static final int MIN_LENGTH = 32;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private AccessTokenFile() {}

    /** @return the token in {@code file}, created first when {@code create} and the file is missing */
    public static String readOrCreate(Path file, boolean create) throws UsageException {
        return read(file, create, "access token");
    }

    /** @return the administrator's token in {@code file}, which must exist (it is never generated) */
    public static String readAdmin(Path file) throws UsageException {
        return read(file, false, "admin token");
    }

    private static String read(Path file, boolean create, String what) throws UsageException {
        try {
            if (create && !Files.exists(file)) {
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                    Files.writeString(file, generate() + "\n");
                } catch (FileAlreadyExistsException e) {
                    // another start won the race; read what it wrote
                }
            }
            if (!Files.isRegularFile(file)) {
                throw new UsageException("the " + what + " file " + file + " does not exist; put a secret of at least "
                        + MIN_LENGTH + " characters in it (e.g. openssl rand -hex 32 > " + file + "; chmod 600 " + file + ")");
            }
            PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            if (posix != null && !OWNER_ONLY.containsAll(posix.readAttributes().permissions())) {
                throw new UsageException("the " + what + " file " + file + " can be read by other users ("
                        + PosixFilePermissions.toString(posix.readAttributes().permissions()) + "); run chmod 600 " + file);
            }
            String token = Files.readString(file).trim();
            if (token.length() < MIN_LENGTH || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
                throw new UsageException("the " + what + " in " + file + " must be one line of at least " + MIN_LENGTH
                        + " printable characters without spaces");
            }
            return token;
        } catch (IOException e) {
            throw new UsageException("the " + what + " file " + file + " cannot be used (" + e.getMessage() + ")");
        }
    }

    private static String generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
