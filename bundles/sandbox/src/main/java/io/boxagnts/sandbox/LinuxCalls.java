package io.boxagnts.sandbox;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

/**
 * The few Linux system calls the workspace boundary needs, through the Foreign Function and Memory API (no JNI, no
 * native library of our own): {@code openat2}, {@code openat}, {@code getdents64}, {@code statx}, {@code mkdirat},
 * {@code unlinkat}, {@code renameat2}, {@code readlinkat}, {@code close}. Each returns its result or throws {@link Errno}. Constants are
 * those of x86_64 and aarch64 (the only architectures accepted; the open flags differ between them).
 */
final class LinuxCalls {

    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_CREAT = 0x40;
    static final int O_EXCL = 0x80;
    static final int O_NOCTTY = 0x100;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int O_PATH = 0x200000;
    static final int O_DIRECTORY;
    static final int O_NOFOLLOW;
    /** getdents64's number: unlike openat2's, it differs between the architectures. */
    private static final long SYS_GETDENTS64;

    static final long RESOLVE_NO_MAGICLINKS = 0x02;
    static final long RESOLVE_NO_SYMLINKS = 0x04;
    static final long RESOLVE_BENEATH = 0x08;

    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int AT_REMOVEDIR = 0x200;
    static final int AT_EMPTY_PATH = 0x1000;
    static final int RENAME_NOREPLACE = 1;

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EEXIST = 17;
    static final int EXDEV = 18;
    static final int ENOTDIR = 20;
    static final int EISDIR = 21;
    static final int EINVAL = 22;
    static final int ENAMETOOLONG = 36;
    static final int ENOSYS = 38;
    static final int ENOTEMPTY = 39;
    static final int ELOOP = 40;

    static final int S_IFMT = 0xF000;
    static final int S_IFDIR = 0x4000;
    static final int S_IFREG = 0x8000;
    static final int S_IFLNK = 0xA000;

    private static final long SYS_OPENAT2 = 437; // the same number on every architecture (it came after the unified table)
    private static final int STATX_BASIC_STATS = 0x7ff;
    private static final int STATX_BTIME = 0x800;
    private static final int STATX_SIZE = 0x100;
    /** Room for the entries one getdents64 returns: a few hundred names of ordinary length. */
    static final int DIRENTS_BUFFER = 16 << 10;
    private static final int DIRENT_NAME = 19;
    /** How Java decodes file names, and so how a listing's names are decoded. */
    static final Charset FILE_NAMES = fileNameCharset();

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle SYSCALL_OPENAT2;
    private static final MethodHandle SYSCALL_GETDENTS64;
    private static final MethodHandle OPENAT;
    private static final MethodHandle CLOSE;
    private static final MethodHandle STATX;
    private static final MethodHandle MKDIRAT;
    private static final MethodHandle UNLINKAT;
    private static final MethodHandle RENAMEAT2;
    private static final MethodHandle READLINKAT;

    static {
        String arch = System.getProperty("os.arch");
        if (!System.getProperty("os.name").startsWith("Linux")) {
            throw new UnsupportedOperationException("not Linux but " + System.getProperty("os.name"));
        }
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            O_DIRECTORY = 0x10000;
            O_NOFOLLOW = 0x20000;
            SYS_GETDENTS64 = 217;
        } else if (arch.equals("aarch64")) {
            O_DIRECTORY = 0x4000;
            O_NOFOLLOW = 0x8000;
            SYS_GETDENTS64 = 61;
        } else {
            throw new UnsupportedOperationException("no open(2) flags known for the architecture " + arch);
        }
        SymbolLookup libc = LINKER.defaultLookup();
        Linker.Option errno = Linker.Option.captureCallState("errno");
        // long syscall(long number, ...): every variadic argument passed as a long, as the kernel reads registers
        SYSCALL_OPENAT2 = handle(libc, "syscall", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS,
                ADDRESS, JAVA_LONG), errno, Linker.Option.firstVariadicArg(1));
        SYSCALL_GETDENTS64 = handle(libc, "syscall", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS,
                JAVA_LONG), errno, Linker.Option.firstVariadicArg(1));
        OPENAT = handle(libc, "openat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                errno, Linker.Option.firstVariadicArg(3));
        CLOSE = handle(libc, "close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        STATX = handle(libc, "statx", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS),
                errno);
        MKDIRAT = handle(libc, "mkdirat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), errno);
        UNLINKAT = handle(libc, "unlinkat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), errno);
        RENAMEAT2 = handle(libc, "renameat2", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS,
                JAVA_INT), errno);
        READLINKAT = handle(libc, "readlinkat", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS,
                JAVA_LONG), errno);
    }

    private LinuxCalls() {
    }

    // Native access is the point of this class; the launcher enables it (decision 0011).
    @SuppressWarnings("restricted")
    private static MethodHandle handle(SymbolLookup libc, String name, FunctionDescriptor descriptor,
            Linker.Option... options) {
        MemorySegment symbol = libc.find(name)
                .orElseThrow(() -> new UnsupportedOperationException("the C library has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /** A failed system call: its errno and what was being done. */
    static final class Errno extends Exception {

        private static final long serialVersionUID = 1L;
        final int code;

        Errno(int code, String call) {
            super(call + " failed: " + describe(code), null, false, false);
            this.code = code;
        }

        static String describe(int code) {
            return switch (code) {
                case EPERM -> "operation not permitted";
                case ENOENT -> "no such file or directory";
                case EACCES -> "permission denied";
                case EEXIST -> "file exists";
                case EXDEV -> "outside the directory";
                case ENOTDIR -> "not a directory";
                case EISDIR -> "is a directory";
                case EINVAL -> "invalid argument";
                case ENAMETOOLONG -> "file name too long";
                case ENOTEMPTY -> "directory not empty";
                case ELOOP -> "a symbolic link on the way";
                case 28 -> "no space left on device";
                case 30 -> "read-only file system";
                case 6 -> "no such device or address";
                default -> "errno " + code;
            };
        }
    }

    /** openat2(dirfd, path, {flags, mode, resolve}): the kernel resolves the path under the rules given. */
    static int openat2(int dirfd, String path, int flags, int mode, long resolve) throws Errno {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment how = arena.allocate(24, 8);
            how.set(JAVA_LONG, 0, Integer.toUnsignedLong(flags));
            how.set(JAVA_LONG, 8, mode);
            how.set(JAVA_LONG, 16, resolve);
            MemorySegment state = arena.allocate(CAPTURE);
            long fd = (long) SYSCALL_OPENAT2.invokeExact(state, SYS_OPENAT2, (long) dirfd, arena.allocateFrom(path),
                    how, 24L);
            return (int) check(fd, state, "openat2");
        } catch (Errno e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    static int openat(int dirfd, String name, int flags, int mode) throws Errno {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int fd = (int) OPENAT.invokeExact(state, dirfd, arena.allocateFrom(name), flags, mode);
            return (int) check(fd, state, "openat");
        } catch (Errno e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable e) {
            // nothing to do about a failed close
        }
    }

    /** statx of an open file (AT_EMPTY_PATH): of the link itself when the descriptor is an O_PATH link. */
    static Stat fstat(int fd) throws Errno {
        return statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW);
    }

    /** statx of a name in an open directory, not following it if it is a link. */
    static Stat lstatAt(int dirfd, String name) throws Errno {
        return statx(dirfd, name, AT_SYMLINK_NOFOLLOW);
    }

    /** What {@link #listAt} is told of each entry. */
    interface EntryConsumer {
        void accept(String name, Stat stat);
    }

    /**
     * Every entry of a directory opened for reading ({@code O_RDONLY | O_DIRECTORY}), in the kernel's order and
     * without "." and "..": read with getdents64 until the directory is read to its end, each entry stat-ed by its
     * own bytes on that directory, not following it ({@code statx(dirfd, name, AT_SYMLINK_NOFOLLOW)}). The names
     * are decoded as Java decodes file names ({@link #FILE_NAMES}). An entry that cannot be stat-ed (gone since it
     * was read) is left out. No object is made per entry
     * but its name and its stat.
     *
     * @throws Errno if the directory cannot be read (to its end)
     */
    static void listAt(int dirfd, EntryConsumer each) throws Errno {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment entries = arena.allocate(DIRENTS_BUFFER, 8);
            MemorySegment stat = arena.allocate(256, 8);
            MemorySegment state = arena.allocate(CAPTURE);
            while (true) {
                long read = (long) SYSCALL_GETDENTS64.invokeExact(state, SYS_GETDENTS64, (long) dirfd, entries,
                        (long) DIRENTS_BUFFER);
                if (check(read, state, "getdents64") == 0) {
                    return;
                }
                // parsed from a copy on the heap (reading native memory byte by byte costs ~1 us per entry); the
                // names stay in the native buffer for statx
                byte[] copy = entries.asSlice(0, read).toArray(ValueLayout.JAVA_BYTE);
                for (int at = 0; at < copy.length; at += (copy[at + 16] & 0xff) | (copy[at + 17] & 0xff) << 8) {
                    // struct linux_dirent64: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, NUL-terminated d_name
                    int name = at + DIRENT_NAME;
                    int end = name;
                    while (copy[end] != 0) {
                        end++;
                    }
                    if (copy[name] == '.' && (end == name + 1 || end == name + 2 && copy[name + 1] == '.')) {
                        continue;
                    }
                    int result = (int) STATX.invokeExact(state, dirfd, entries.asSlice(name), AT_SYMLINK_NOFOLLOW,
                            STATX_BASIC_STATS | STATX_BTIME, stat);
                    if (result == 0) {
                        each.accept(new String(copy, name, end - name, FILE_NAMES), Stat.of(stat));
                    }
                }
            }
        } catch (Errno e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JVM's own file-name encoding (what UnixPath decodes names with): UTF-8 in a UTF-8 locale. */
    private static Charset fileNameCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }

    private static Stat statx(int dirfd, String path, int flags) throws Errno {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(256, 8);
            MemorySegment state = arena.allocate(CAPTURE);
            int result = (int) STATX.invokeExact(state, dirfd, arena.allocateFrom(path), flags,
                    STATX_BASIC_STATS | STATX_BTIME, buffer);
            check(result, state, "statx");
            return Stat.of(buffer);
        } catch (Errno e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    static void mkdirat(int dirfd, String name, int mode) throws Errno {
        call(MKDIRAT, "mkdirat", dirfd, name, mode);
    }

    static void unlinkat(int dirfd, String name, int flags) throws Errno {
        call(UNLINKAT, "unlinkat", dirfd, name, flags);
    }

    private static void call(MethodHandle handle, String call, int dirfd, String name, int flagsOrMode) throws Errno {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int result = (int) handle.invokeExact(state, dirfd, arena.allocateFrom(name), flagsOrMode);
            check(result, state, call);
        } catch (Errno e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    static void renameat2(int fromDir, String from, int toDir, String to, int flags) throws Errno {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int result = (int) RENAMEAT2.invokeExact(state, fromDir, arena.allocateFrom(from), toDir,
                    arena.allocateFrom(to), flags);
            check(result, state, "renameat2");
        } catch (Errno e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    static String readlinkat(int dirfd, String name) throws Errno {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment buffer = arena.allocate(4096);
            long length = (long) READLINKAT.invokeExact(state, dirfd, arena.allocateFrom(name), buffer, 4096L);
            check(length, state, "readlinkat");
            return new String(buffer.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        } catch (Errno e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static long check(long result, MemorySegment state, String call) throws Errno {
        if (result < 0) {
            throw new Errno((int) ERRNO.get(state, 0L), call);
        }
        return result;
    }

    /** What statx reported. Times are FileTimes, device numbers encoded as glibc's makedev (as Java's unix view does). */
    record Stat(int mode, int nlink, int uid, int gid, long ino, long size, long dev, long rdev, FileTime atime,
            FileTime mtime, FileTime ctime, FileTime btime) {

        static Stat of(MemorySegment b) {
            int mask = b.get(JAVA_INT, 0);
            FileTime mtime = time(b, 112);
            return new Stat(Short.toUnsignedInt(b.get(ValueLayout.JAVA_SHORT, 28)), b.get(JAVA_INT, 16),
                    b.get(JAVA_INT, 20), b.get(JAVA_INT, 24), b.get(JAVA_LONG, 32),
                    (mask & STATX_SIZE) != 0 ? b.get(JAVA_LONG, 40) : 0,
                    makedev(b.get(JAVA_INT, 136), b.get(JAVA_INT, 140)),
                    makedev(b.get(JAVA_INT, 128), b.get(JAVA_INT, 132)), time(b, 64), mtime, time(b, 96),
                    (mask & STATX_BTIME) != 0 ? time(b, 80) : mtime);
        }

        private static FileTime time(MemorySegment b, long offset) {
            long seconds = b.get(JAVA_LONG, offset);
            long nanos = Integer.toUnsignedLong(b.get(JAVA_INT, offset + 8));
            return FileTime.from(TimeUnit.SECONDS.toNanos(seconds) + nanos, TimeUnit.NANOSECONDS);
        }

        private static long makedev(int major, int minor) {
            long ma = Integer.toUnsignedLong(major);
            long mi = Integer.toUnsignedLong(minor);
            return ((ma & 0xfffff000L) << 32) | ((ma & 0xfffL) << 8) | ((mi & 0xffffff00L) << 12) | (mi & 0xffL);
        }

        int type() {
            return mode & S_IFMT;
        }

        boolean isRegularFile() {
            return type() == S_IFREG;
        }

        boolean isDirectory() {
            return type() == S_IFDIR;
        }

        boolean isSymbolicLink() {
            return type() == S_IFLNK;
        }
    }
}
