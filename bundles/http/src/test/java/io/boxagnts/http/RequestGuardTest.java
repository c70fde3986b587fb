package io.boxagnts.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestGuardTest {

    private final RequestGuard guard = new RequestGuard(Set.of());

    @Test
    void localRequestsPass() {
        assertEquals(Optional.empty(), guard.refusal("127.0.0.1:30001", null));
        assertEquals(Optional.empty(), guard.refusal("localhost:30001", "http://localhost:30001"));
        assertEquals(Optional.empty(), guard.refusal("[::1]:30001", "http://[::1]:30001"));
    }

    @Test
    void aRebindingHostIsRefused() {
        assertTrue(guard.refusal("evil.example:30001", null).orElseThrow().contains("Host 'evil.example:30001'"));
        assertTrue(guard.refusal(null, null).isPresent());
    }

    @Test
    void aForeignOriginIsRefused() {
        assertTrue(guard.refusal("127.0.0.1:30001", "https://evil.example").orElseThrow().contains("cross-site"));
        assertTrue(guard.refusal("127.0.0.1:30001", "null").isPresent());
    }

    @Test
    void aConfiguredHostIsOurs() {
        RequestGuard lan = new RequestGuard(Set.of("192.168.1.20"));
        assertEquals(Optional.empty(), lan.refusal("192.168.1.20:30001", "http://192.168.1.20:30001"));
    }
}
