package io.boxagnts.webfetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Which addresses a fetch may connect to: public unicast only. An address is judged after DNS resolution, and the
 * connection is then made to that very address, so a name that resolves to a public address when checked cannot
 * send the connection somewhere private (DNS rebinding). IPv6 forms that carry an IPv4 address (mapped, compatible,
 * 6to4, NAT64) are judged by the IPv4 address inside.
 */
final class AddressCheck {

    private AddressCheck() {}

    /** @return why the address may not be reached ("a loopback address", ...), or empty when it is public */
    static Optional<String> refusal(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            Inet4Address embedded = embeddedV4(b);
            if (embedded != null) {
                return refusal(embedded).map(why -> why + " (as " + embedded.getHostAddress() + " inside an IPv6 address)");
            }
            return v6Refusal(v6, b);
        }
        byte[] b = address.getAddress();
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        if (a0 == 127) {
            return Optional.of("a loopback address");
        }
        if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
            return Optional.of("a private address");
        }
        if (a0 == 169 && a1 == 254) {
            return Optional.of("a link-local address");
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return Optional.of("a shared (carrier-grade NAT) address");
        }
        if (a0 == 0) {
            return Optional.of("an unspecified address");
        }
        if (a0 >= 224) {
            return Optional.of(a0 < 240 ? "a multicast address" : "a reserved address");
        }
        if ((a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)) || (a0 == 198 && (a1 & 0xfe) == 18)
                || (a0 == 198 && a1 == 51 && a2 == 100) || (a0 == 203 && a1 == 0 && a2 == 113)) {
            return Optional.of("a reserved address");
        }
        return Optional.empty();
    }

    private static Optional<String> v6Refusal(Inet6Address v6, byte[] b) {
        if (v6.isLoopbackAddress()) {
            return Optional.of("a loopback address");
        }
        if (v6.isAnyLocalAddress()) {
            return Optional.of("an unspecified address");
        }
        if (v6.isLinkLocalAddress()) {
            return Optional.of("a link-local address");
        }
        if (v6.isSiteLocalAddress() || (b[0] & 0xfe) == 0xfc) {
            return Optional.of("a private address");
        }
        if (v6.isMulticastAddress()) {
            return Optional.of("a multicast address");
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
            return Optional.of("a reserved (documentation) address");
        }
        if (allZero(b, 0, 8) && !allZero(b, 8, 16)) {
            return Optional.of("a reserved address"); // ::/64 forms other than the ones that embed IPv4
        }
        if ((b[0] & 0xff) == 0x01 && b[1] == 0 && allZero(b, 2, 8)) {
            return Optional.of("a reserved (discard) address");
        }
        return Optional.empty();
    }

    /** The IPv4 address an IPv6 address stands for: ::ffff:a.b.c.d, ::a.b.c.d, 64:ff9b::a.b.c.d, 2002:aabb:ccdd::. */
    private static Inet4Address embeddedV4(byte[] b) {
        try {
            if (allZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                return v4(b, 12);
            }
            if (allZero(b, 0, 12) && !allZero(b, 12, 16) && !(allZero(b, 12, 15) && b[15] == 1)) {
                return v4(b, 12);
            }
            if (b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && allZero(b, 4, 12)) {
                return v4(b, 12);
            }
            if (b[0] == 0x20 && b[1] == 0x02) {
                return v4(b, 2);
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
        return null;
    }

    private static Inet4Address v4(byte[] b, int from) throws UnknownHostException {
        return (Inet4Address) InetAddress.getByAddress(new byte[] {b[from], b[from + 1], b[from + 2], b[from + 3]});
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
