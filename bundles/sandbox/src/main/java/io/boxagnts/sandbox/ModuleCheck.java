package io.boxagnts.sandbox;

import java.util.Optional;

/**
 * Reads what the sandbox must know of a WASM binary before GraalWasm ever sees it: that it is one, that it is a WASI
 * command (exports {@code _start}), and how much linear memory it may grow to. A module whose memory has no declared
 * maximum, or a maximum above its limit, is refused: GraalWasm enforces a declared maximum, while without one only
 * the JVM heap would stop it.
 */
final class ModuleCheck {

    static final long PAGE = 65536;

    /**
     * What was found; {@code maxMemoryBytes} is -1 when the module has no memory at all; {@code imports} names each
     * import as {@code module.name}.
     */
    record Facts(long maxMemoryBytes, boolean exportsStart, java.util.List<String> imports) {}

    private final java.util.List<String> imports = new java.util.ArrayList<>();

    private final byte[] bytes;
    private int pos;

    private ModuleCheck(byte[] bytes) {
        this.bytes = bytes;
    }

    /** @return the reason the module is refused, or empty when it may run within {@code memoryLimit} bytes */
    static Optional<String> problem(byte[] module, long memoryLimit) {
        Facts facts;
        try {
            facts = new ModuleCheck(module).read();
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            return Optional.of("not a valid WASM module: " + (e.getMessage() == null ? "truncated" : e.getMessage()));
        }
        if (!facts.exportsStart()) {
            return Optional.of("not a WASI command module: it does not export _start");
        }
        if (facts.maxMemoryBytes() == Long.MAX_VALUE) {
            return Optional.of("its linear memory declares no maximum; build it with a maximum of at most "
                    + memoryLimit / (1024 * 1024) + " MiB (e.g. -C link-arg=--max-memory=" + memoryLimit + ")");
        }
        if (facts.maxMemoryBytes() > memoryLimit) {
            return Optional.of("its linear memory may grow to " + facts.maxMemoryBytes() / (1024 * 1024)
                    + " MiB, above the limit of " + memoryLimit / (1024 * 1024) + " MiB");
        }
        return Optional.empty();
    }

    /** What the module imports, each as {@code module.name}; empty when it cannot be read. */
    static java.util.List<String> imports(byte[] module) {
        try {
            return new ModuleCheck(module).read().imports();
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            return java.util.List.of();
        }
    }

    /** The most linear memory the module declares it may use, in bytes; -1 when unknown or unbounded. */
    static long declaredMemoryMaximum(byte[] module) {
        try {
            long max = new ModuleCheck(module).read().maxMemoryBytes();
            return max == Long.MAX_VALUE ? -1 : max;
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            return -1;
        }
    }

    /**
     * The module with the maximum of the memory it defines set to {@code maxBytes} (rounded down to whole pages), so
     * that GraalWasm refuses {@code memory.grow} beyond it: how a limit an administrator set for a tool is enforced
     * whatever the module declared.
     *
     * @throws IllegalArgumentException when the module's initial memory is above that, or its memory is imported
     *     (it has none of its own to limit)
     */
    static byte[] withMemoryMaximum(byte[] module, long maxBytes) {
        ModuleCheck reader = new ModuleCheck(module);
        reader.read(); // validates the layout first
        long pages = maxBytes / PAGE;
        reader.pos = 8;
        while (reader.pos < module.length) {
            int sectionStart = reader.pos;
            int id = module[reader.pos++] & 0xff;
            int size = (int) reader.unsigned();
            int contentStart = reader.pos;
            int end = contentStart + size;
            if (id == 2 && reader.importedMemoryMaximum() >= 0) {
                throw new IllegalArgumentException("its memory is imported, so no limit other than its own applies");
            }
            if (id == 5) {
                reader.pos = contentStart;
                java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
                long count = reader.unsigned();
                writeUnsigned(content, count);
                for (long i = 0; i < count; i++) {
                    int flags = module[reader.pos++] & 0xff;
                    long minimum = reader.unsigned();
                    if ((flags & 1) != 0) {
                        reader.unsigned(); // the maximum it declared, replaced
                    }
                    if (minimum > pages) {
                        throw new IllegalArgumentException("it starts with " + size(minimum * PAGE)
                                + " of memory, more than the limit of " + size(maxBytes));
                    }
                    content.write(flags | 1);
                    writeUnsigned(content, minimum);
                    writeUnsigned(content, pages);
                }
                java.io.ByteArrayOutputStream rewritten = new java.io.ByteArrayOutputStream(module.length + 8);
                rewritten.write(module, 0, sectionStart);
                rewritten.write(5);
                writeUnsigned(rewritten, content.size());
                rewritten.writeBytes(content.toByteArray());
                rewritten.write(module, end, module.length - end);
                return rewritten.toByteArray();
            }
            reader.pos = end;
        }
        return module; // no memory of its own: nothing to limit
    }

    private static String size(long bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MiB" : bytes / 1024 + " KiB";
    }

    private static void writeUnsigned(java.io.ByteArrayOutputStream out, long value) {
        long rest = value;
        do {
            int b = (int) (rest & 0x7f);
            rest >>>= 7;
            out.write(rest == 0 ? b : b | 0x80);
        } while (rest != 0);
    }

    private Facts read() {
        if (bytes.length < 8 || bytes[0] != 0 || bytes[1] != 'a' || bytes[2] != 's' || bytes[3] != 'm') {
            throw new IllegalArgumentException("missing the \\0asm magic number");
        }
        if (bytes[4] != 1 || bytes[5] != 0 || bytes[6] != 0 || bytes[7] != 0) {
            throw new IllegalArgumentException("unsupported binary version");
        }
        pos = 8;
        long maxMemory = -1;
        boolean start = false;
        while (pos < bytes.length) {
            int id = bytes[pos++] & 0xff;
            int size = (int) unsigned();
            int end = pos + size;
            if (size < 0 || end > bytes.length) {
                throw new IllegalArgumentException("section " + id + " runs past the end of the module");
            }
            switch (id) {
                case 2 -> maxMemory = Math.max(maxMemory, importedMemoryMaximum());
                case 5 -> maxMemory = Math.max(maxMemory, definedMemoryMaximum());
                case 7 -> start = exportsStart();
                default -> { }
            }
            pos = end;
        }
        return new Facts(maxMemory, start, java.util.List.copyOf(imports));
    }

    private long importedMemoryMaximum() {
        long max = -1;
        long count = unsigned();
        for (long i = 0; i < count; i++) {
            imports.add(name() + "." + name());
            int kind = bytes[pos++] & 0xff;
            switch (kind) {
                case 0 -> unsigned(); // function: type index
                case 1 -> { pos++; limits(); } // table: reftype + limits
                case 2 -> max = Math.max(max, limits());
                case 3 -> pos += 2; // global: valtype + mutability
                default -> throw new IllegalArgumentException("unknown import kind " + kind);
            }
        }
        return max;
    }

    private long definedMemoryMaximum() {
        long max = -1;
        long count = unsigned();
        for (long i = 0; i < count; i++) {
            max = Math.max(max, limits());
        }
        return max;
    }

    /** Limits as bytes: Long.MAX_VALUE when there is no maximum. */
    private long limits() {
        int flags = bytes[pos++] & 0xff;
        unsigned(); // minimum
        if ((flags & 1) == 0) {
            return Long.MAX_VALUE;
        }
        return unsigned() * PAGE;
    }

    private boolean exportsStart() {
        long count = unsigned();
        boolean found = false;
        for (long i = 0; i < count; i++) {
            int length = (int) unsigned();
            String name = new String(bytes, pos, length, java.nio.charset.StandardCharsets.UTF_8);
            pos += length;
            int kind = bytes[pos++] & 0xff;
            unsigned();
            found |= kind == 0 && name.equals("_start");
        }
        return found;
    }

    private String name() {
        int length = (int) unsigned();
        String name = new String(bytes, pos, length, java.nio.charset.StandardCharsets.UTF_8);
        pos += length;
        return name;
    }

    private long unsigned() {
        long result = 0;
        int shift = 0;
        while (true) {
            int b = bytes[pos++] & 0xff;
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
            shift += 7;
            if (shift > 35) {
                throw new IllegalArgumentException("malformed LEB128 number");
            }
        }
    }
}
