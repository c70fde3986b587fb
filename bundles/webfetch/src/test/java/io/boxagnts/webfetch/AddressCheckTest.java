package io.boxagnts.webfetch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AddressCheckTest {

    @Test
    void onlyPublicUnicastAddressesPass() throws Exception {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("127.0.0.1", "a loopback address"),
                Map.entry("127.255.0.9", "a loopback address"),
                Map.entry("10.0.0.1", "a private address"),
                Map.entry("172.16.0.1", "a private address"),
                Map.entry("172.31.255.255", "a private address"),
                Map.entry("192.168.1.1", "a private address"),
                Map.entry("169.254.169.254", "a link-local address"),
                Map.entry("100.64.0.1", "a shared (carrier-grade NAT) address"),
                Map.entry("0.0.0.0", "an unspecified address"),
                Map.entry("224.0.0.1", "a multicast address"),
                Map.entry("255.255.255.255", "a reserved address"),
                Map.entry("::1", "a loopback address"),
                Map.entry("::", "an unspecified address"),
                Map.entry("fe80::1", "a link-local address"),
                Map.entry("fc00::1", "a private address"),
                Map.entry("fd12:3456::1", "a private address"),
                Map.entry("ff02::1", "a multicast address"),
                Map.entry("::127.0.0.1", "a loopback address (as 127.0.0.1 inside an IPv6 address)"),
                Map.entry("64:ff9b::a00:1", "a private address (as 10.0.0.1 inside an IPv6 address)"),
                Map.entry("2002:c0a8:0101::1", "a private address (as 192.168.1.1 inside an IPv6 address)"),
                Map.entry("2001:db8::1", "a reserved (documentation) address"));
        for (var entry : cases.entrySet()) {
            assertEquals(Optional.of(entry.getValue()), AddressCheck.refusal(InetAddress.getByName(entry.getKey())),
                    entry.getKey());
        }
        for (String open : new String[] {"93.184.215.14", "1.1.1.1", "172.32.0.1", "2606:4700::1111"}) {
            assertEquals(Optional.empty(), AddressCheck.refusal(InetAddress.getByName(open)), open);
        }
        // Java turns ::ffff:a.b.c.d into the IPv4 address itself; either way it is judged as IPv4.
        assertEquals(Optional.of("a loopback address"), AddressCheck.refusal(InetAddress.getByName("::ffff:127.0.0.1")));
    }
}
