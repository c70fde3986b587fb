package io.boxagnts.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModuleCheckTest {

    private static final long MIB = 1 << 20;

    @Test
    void aModuleWithinItsMemoryLimitPasses() throws Exception {
        assertEquals(Optional.empty(), ModuleCheck.problem(WasmToolTest.module("membomb"), 16 * MIB));
    }

    @Test
    void aModuleThatMayGrowPastTheLimitIsRefused() throws Exception {
        assertTrue(ModuleCheck.problem(WasmToolTest.module("membomb"), 8 * MIB).orElseThrow().contains("above the limit"));
    }

    @Test
    void aModuleWithoutMemoryMaximumIsRefused() throws Exception {
        assertTrue(ModuleCheck.problem(WasmToolTest.module("unbounded"), 64 * MIB).orElseThrow().contains("no maximum"));
    }

    @Test
    void theImportsAreNamedForTheExtender() throws Exception {
        assertTrue(ModuleCheck.imports(WasmToolTest.module("echo")).stream()
                .allMatch(name -> name.startsWith("wasi_snapshot_preview1.")));
        assertTrue(ModuleCheck.imports(WasmToolTest.module("echo")).contains("wasi_snapshot_preview1.fd_write"));
        assertEquals(java.util.List.of(), ModuleCheck.imports("hello".getBytes()));
    }

    @Test
    void garbageIsNotAModule() {
        assertTrue(ModuleCheck.problem("hello".getBytes(), MIB).orElseThrow().startsWith("not a valid WASM module"));
        byte[] truncated = {0, 'a', 's', 'm', 1, 0, 0, 0, 5, 100};
        assertTrue(ModuleCheck.problem(truncated, MIB).orElseThrow().startsWith("not a valid WASM module"));
    }

    @Test
    void aMemoryMaximumIsRewrittenDownOrUp() throws Exception {
        byte[] membomb = WasmToolTest.module("membomb");
        assertEquals(2 * MIB, ModuleCheck.declaredMemoryMaximum(ModuleCheck.withMemoryMaximum(membomb, 2 * MIB)));
        assertEquals(300 * MIB, ModuleCheck.declaredMemoryMaximum(ModuleCheck.withMemoryMaximum(membomb, 300 * MIB)));
        assertEquals(Optional.empty(), ModuleCheck.problem(ModuleCheck.withMemoryMaximum(membomb, 3 * MIB), 3 * MIB));
    }

    @Test
    void aMemoryMaximumBelowTheInitialMemoryIsRefused() throws Exception {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ModuleCheck.withMemoryMaximum(WasmToolTest.module("echo"), 64 << 10));
        assertTrue(e.getMessage().contains("starts with"), e.getMessage());
    }
}
