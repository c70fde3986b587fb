package io.boxagnts.webfetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 GET to an address that was already checked, written by hand so that nothing is decided behind the
 * policy's back: the socket connects to exactly that address (TLS still verifies the certificate for the host name
 * and sends it as SNI), no cookie, credential or proxy is ever added, no redirect is followed, the body is read up to
 * a byte limit and every read is bounded by the deadline.
 */
final class HttpGet {

    private static final int MAX_HEADER_BYTES = 64 << 10;
    static final String USER_AGENT = "BoxAgnts-web_fetch/0.1";

    /** What came back; {@code body} holds at most the byte limit, {@code truncated} says whether there was more. */
    record Response(int status, Map<String, String> headers, byte[] body, boolean truncated) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Thrown when the deadline passed. */
    static final class Timeout extends IOException {
        private static final long serialVersionUID = 1L;

        Timeout(String message) {
            super(message);
        }
    }

    private HttpGet() {}

    /** {@code tls} is used for an https target only (null for http). */
    static Response get(WebPolicy.Target target, InetAddress address, SSLSocketFactory tls, long deadlineNanos,
            long maxBytes) throws IOException {
        try (Socket plain = new Socket(java.net.Proxy.NO_PROXY)) {
            plain.connect(new InetSocketAddress(address, target.port()), remainingMillis(deadlineNanos));
            Socket socket = plain;
            if (target.tls()) {
                SSLSocket ssl = (SSLSocket) tls.createSocket(plain, target.host(), target.port(), true);
                SSLParameters parameters = ssl.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                if (!target.host().contains(":") && !target.host().matches("[0-9.]+")) {
                    parameters.setServerNames(List.of(new SNIHostName(target.host())));
                }
                ssl.setSSLParameters(parameters);
                ssl.setSoTimeout(remainingMillis(deadlineNanos));
                ssl.startHandshake();
                socket = ssl;
            }
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target.requestTarget() + " HTTP/1.1\r\n"
                    + "Host: " + target.hostHeader() + "\r\n"
                    + "User-Agent: " + USER_AGENT + "\r\n"
                    + "Accept: text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5\r\n"
                    + "Accept-Encoding: identity\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = new DeadlineInput(socket, deadlineNanos);
            while (true) {
                int status = statusLine(readLine(in));
                Map<String, String> headers = headers(in);
                if (status >= 100 && status < 200) {
                    continue; // an interim answer; the real one follows
                }
                return body(status, headers, in, maxBytes);
            }
        } catch (SocketTimeoutException e) {
            throw new Timeout("no answer within the time limit");
        }
    }

    private static Response body(int status, Map<String, String> headers, InputStream in, long maxBytes)
            throws IOException {
        InputStream body = in;
        String encoding = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
        if (encoding.contains("chunked")) {
            body = new ChunkedInput(in);
        } else if (headers.containsKey("content-length")) {
            try {
                body = new BoundedInput(in, Long.parseLong(headers.get("content-length").strip()));
            } catch (NumberFormatException e) {
                throw new IOException("the server sent a malformed Content-Length");
            }
        }
        // Never more than the limit is asked of the body: a huge or endless answer costs the limit and no more, and
        // the connection is closed once it is reached. Whether there was more is then known from Content-Length or,
        // without one, from a single byte more.
        ByteArrayOutputStream read = new ByteArrayOutputStream((int) Math.min(maxBytes, 64 << 10));
        byte[] buffer = new byte[16384];
        for (int n; read.size() < maxBytes
                && (n = body.read(buffer, 0, (int) Math.min(buffer.length, maxBytes - read.size()))) > 0; ) {
            read.write(buffer, 0, n);
        }
        boolean truncated = read.size() >= maxBytes && more(body);
        return new Response(status, headers, read.toByteArray(), truncated);
    }

    /** Whether a body read up to the limit goes on. */
    private static boolean more(InputStream body) throws IOException {
        if (body instanceof BoundedInput bounded) {
            return bounded.left > 0;
        }
        try {
            return body.read() >= 0;
        } catch (Timeout | SocketTimeoutException e) {
            return true; // it did not end within the time left: what was read is cut there
        }
    }

    private static int statusLine(String line) throws IOException {
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("the server did not answer with HTTP/1.x");
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("the server sent a malformed status line");
        }
    }

    private static Map<String, String> headers(InputStream in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        int total = 0;
        for (String line; !(line = readLine(in)).isEmpty(); ) {
            total += line.length();
            if (total > MAX_HEADER_BYTES) {
                throw new IOException("the server's headers are larger than " + (MAX_HEADER_BYTES >> 10) + " KiB");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                // Repeated headers (Set-Cookie among them) are of no use here: the first one is kept.
                headers.putIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).strip());
            }
        }
        return headers;
    }

    /** A line of ASCII ended by CRLF (or LF). */
    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new IOException("the connection closed in the middle of the server's answer");
            }
            if (line.length() > 8192) {
                throw new IOException("the server sent a line longer than 8 KiB");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    static int remainingMillis(long deadlineNanos) throws Timeout {
        long millis = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (millis <= 0) {
            throw new Timeout("no answer within the time limit");
        }
        return (int) Math.min(Integer.MAX_VALUE, millis);
    }

    /** The socket's input with each read bounded by what is left of the deadline (a trickling server ends too). */
    private static final class DeadlineInput extends InputStream {
        private final Socket socket;
        private final InputStream in;
        private final long deadlineNanos;
        private final byte[] buffer = new byte[8192];
        private int pos;
        private int end;

        DeadlineInput(Socket socket, long deadlineNanos) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.deadlineNanos = deadlineNanos;
        }

        private boolean fill() throws IOException {
            if (pos < end) {
                return true;
            }
            socket.setSoTimeout(remainingMillis(deadlineNanos));
            int n = in.read(buffer);
            if (n <= 0) {
                return false;
            }
            pos = 0;
            end = n;
            return true;
        }

        @Override
        public int read() throws IOException {
            return fill() ? buffer[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, end - pos);
            System.arraycopy(buffer, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    /** A stream whose single-byte read is its array read (the body is only ever read in blocks). */
    private abstract static class BlockInput extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
    }

    /** At most {@code length} bytes of the stream. */
    private static final class BoundedInput extends BlockInput {
        private final InputStream in;
        private long left;

        BoundedInput(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }

    /** The chunked transfer coding, decoded; trailers are skipped. */
    private static final class ChunkedInput extends BlockInput {
        private final InputStream in;
        private long left;
        private boolean done;

        ChunkedInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = readLine(in);
                int semicolon = size.indexOf(';');
                try {
                    left = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("the server sent a malformed chunk");
                }
                if (left == 0) {
                    while (!readLine(in).isEmpty()) {
                        // trailers
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new IOException("the connection closed in the middle of a chunk");
            }
            left -= n;
            if (left == 0) {
                readLine(in); // the CRLF after the chunk
            }
            return n;
        }
    }
}
