package io.boxagnts.launcher;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/**
 * Tries the address before the HTTP bundle does: Jetty would only log a bind failure from its own thread, long after
 * the user has been told the runtime is starting.
 */
final class PortCheck {

    private PortCheck() {}

    static InetAddress requireFree(String host, int port) throws UsageException {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new UsageException("--host " + host + " is not a known address of this machine");
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port));
        } catch (BindException e) {
            String reason = e.getMessage() != null && e.getMessage().contains("in use")
                    ? "port " + port + " on " + host + " is already in use; stop the program using it or choose another port with --port"
                    : "cannot listen on " + host + ":" + port + " (" + e.getMessage() + "); choose another --host or --port";
            throw new UsageException(reason);
        } catch (IOException e) {
            throw new UsageException("cannot listen on " + host + ":" + port + " (" + e.getMessage() + ")");
        }
        return address;
    }
}
