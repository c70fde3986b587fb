package io.boxagnts.sandbox;

import io.boxagnts.sandbox.LinuxCalls.Stat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * The host function {@code boxagnts.read_dir(path_ptr, path_len, out_ptr, out_capacity) -> i32}, which any tool may
 * import (decision 0042): one call lists a directory of the workspace with every entry's type and size, where WASI
 * takes a readdir and several stat calls per entry. The path is UTF-8 relative to the workspace root ("" is the root;
 * components joined by "/", none empty, "." or ".."; no NUL, no leading or trailing "/"). Each entry is written as
 * {@code u8 type} (1 file, 2 directory, 3 symbolic link, 0 other; links are not followed), {@code u64 size} (little
 * endian; a file's size, else 0), {@code u16 len} (little endian) and the name's UTF-8 bytes, in the kernel's order.
 * The result is the number of bytes written, or -1 invalid arguments, -2 not found, -3 not a directory, -4 permission
 * denied, -5 another I/O error, -6 not offered here (the tool falls back to WASI), or, below that, minus the bytes the
 * answer needs (every entry takes at least 12).
 *
 * <p>The listing is {@link WorkspaceFileSystem#listing(String)}, the same one WASI's directory reads get, with the
 * same guarantees: resolved beneath the workspace root by the kernel, no link followed, a refusal noted as the call's
 * denial. Whether the call may list at all is decided here at run time from its grant, not from the descriptor: any
 * workspace access (read or write) may, none may not.
 */
final class ReadDirImport implements ProxyExecutable {

    static final String NAME = "read_dir";
    /** As {@link ModuleCheck#imports} names it. */
    static final String QUALIFIED = WebFetchImport.MODULE + "." + NAME;

    static final int INVALID = -1;
    static final int NOT_FOUND = -2;
    static final int NOT_DIRECTORY = -3;
    static final int DENIED = -4;
    static final int FAILED = -5;
    static final int UNSUPPORTED = -6;

    /** Bytes before each entry's name: type, size, name length. */
    static final int ENTRY_HEADER = 1 + 8 + 2;
    /** Longer than any path the kernel takes (PATH_MAX is 4096): refused before reading it out of the guest. */
    private static final int MAX_PATH_BYTES = 64 << 10;

    private final WorkspaceFileSystem files;
    private final int unavailable;
    private volatile GuestMemory memory;

    private ReadDirImport(WorkspaceFileSystem files, int unavailable) {
        this.files = files;
        this.unavailable = unavailable;
    }

    /** For a run that sees one workspace at the guest's "/", through this filesystem layer. */
    static ReadDirImport of(WorkspaceFileSystem files) {
        return new ReadDirImport(files, 0);
    }

    /** For a run with no workspace access: every call is denied (-4). */
    static ReadDirImport denied() {
        return new ReadDirImport(null, DENIED);
    }

    /**
     * For a run whose directories are not one workspace at "/" ({@code boxagnts tool run} with several, or one
     * elsewhere): a relative path names no one directory, so the tool is told to use WASI (-6).
     */
    static ReadDirImport unsupported() {
        return new ReadDirImport(null, UNSUPPORTED);
    }

    /** The instance's exported memory, once it exists: where paths are read and listings written. */
    void memory(Value exportedMemory) {
        this.memory = GuestMemory.of(exportedMemory);
    }

    @Override
    public Object execute(Value... arguments) {
        GuestMemory memory = this.memory;
        if (arguments.length != 4 || memory == null) {
            return INVALID;
        }
        try {
            long pathAt = Integer.toUnsignedLong(arguments[0].asInt());
            long pathLength = Integer.toUnsignedLong(arguments[1].asInt());
            long outAt = Integer.toUnsignedLong(arguments[2].asInt());
            long outCapacity = Integer.toUnsignedLong(arguments[3].asInt());
            if (pathLength > MAX_PATH_BYTES || !memory.holds(pathAt, pathLength) || !memory.holds(outAt, outCapacity)) {
                return INVALID;
            }
            String path = path(memory.read(pathAt, (int) pathLength));
            if (path == null) {
                return INVALID;
            }
            if (files == null) {
                return unavailable;
            }
            byte[] answer;
            try {
                answer = encode(files.listing(path));
            } catch (IOException e) {
                return code(e); // also when the directory could not be read to its end
            }
            if (answer == null) {
                return FAILED;
            }
            if (answer.length > outCapacity) {
                return -answer.length;
            }
            memory.write(outAt, answer);
            return answer.length;
        } catch (IndexOutOfBoundsException | ClassCastException | UnsupportedOperationException
                | PolyglotException e) {
            return INVALID;
        }
    }

    /** What a failure of the filesystem layer is for the guest. */
    private static int code(IOException e) {
        if (WorkspaceFileSystem.isRefusal(e)) {
            return DENIED;
        }
        if (e instanceof NoSuchFileException) {
            return NOT_FOUND;
        }
        if (e instanceof NotDirectoryException) {
            return NOT_DIRECTORY;
        }
        return FAILED;
    }

    /**
     * The path as the ABI has it, or null: valid UTF-8, no NUL, "" or names joined by single "/", none of them "."
     * or "..". Nothing is normalised: a path in any other form is the tool's mistake, and said so.
     */
    static String path(byte[] bytes) {
        String path;
        try {
            path = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        if (path.isEmpty()) {
            return path;
        }
        int start = 0;
        while (true) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? path.length() : slash;
            int length = end - start;
            if (length == 0 || length == 1 && path.charAt(start) == '.'
                    || length == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.') {
                return null;
            }
            if (slash < 0) {
                break;
            }
            start = slash + 1;
        }
        return path.indexOf('\0') < 0 ? path : null;
    }

    /** The listing in the ABI's layout; null if it could not be said in an i32 (never, in any real directory). */
    private static byte[] encode(WorkspaceFileSystem.Listing listing) {
        byte[][] names = new byte[listing.entries().size()][];
        long total = 0;
        int i = 0;
        for (String name : listing.entries().keySet()) {
            names[i] = name.getBytes(StandardCharsets.UTF_8);
            total += ENTRY_HEADER + names[i++].length;
        }
        if (total > Integer.MAX_VALUE) {
            return null;
        }
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        i = 0;
        for (Stat stat : listing.entries().values()) {
            int type = stat.isRegularFile() ? 1 : stat.isDirectory() ? 2 : stat.isSymbolicLink() ? 3 : 0;
            out.put((byte) type).putLong(type == 1 ? stat.size() : 0).putShort((short) names[i].length)
                    .put(names[i++]);
        }
        return out.array();
    }
}
