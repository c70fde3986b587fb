package io.boxagnts.launcher;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
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
        // A bound socket that never listens: a client that connects during the check is refused, as before it, instead
        // of being accepted into a listening socket's queue and reset when the check closes it. Binding still fails
        // while another program listens there, even with SO_REUSEADDR (which only ignores connections in TIME_WAIT).
        try (Socket socket = new Socket()) {
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
