package io.boxagnts.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PortCheckTest {

    @Test
    void aPortAnotherProgramListensOnIsRefusedWithTheReason() throws Exception {
        try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            UsageException e = assertThrows(UsageException.class,
                    () -> PortCheck.requireFree("127.0.0.1", other.getLocalPort()));
            assertEquals("port " + other.getLocalPort() + " on 127.0.0.1 is already in use; stop the program using it "
                    + "or choose another port with --port", e.getMessage());
        }
    }

    @Test
    void aFreePortIsAcceptedAndLeftFreeForTheServer() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        assertTrue(PortCheck.requireFree("127.0.0.1", port).isLoopbackAddress());
        try (ServerSocket server = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(port, server.getLocalPort());
        }
    }
}
