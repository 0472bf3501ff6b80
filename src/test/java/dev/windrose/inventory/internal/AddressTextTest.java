package dev.windrose.inventory.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** Addresses as the console prints them: IPv6 in its short form, as people and `ip addr` write it. */
class AddressTextTest {

    @Test
    void ipv6_is_compressed_as_rfc_5952_recommends() throws UnknownHostException {
        assertThat(LocalHostFacts.text(InetAddress.getByName("0:0:0:0:0:0:0:1"))).isEqualTo("::1");
        assertThat(LocalHostFacts.text(InetAddress.getByName("fd00:0:0:0:0:0:0:5"))).isEqualTo("fd00::5");
        assertThat(LocalHostFacts.text(InetAddress.getByName("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(LocalHostFacts.text(InetAddress.getByName("2001:db8:0:1:1:1:1:1"))).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(LocalHostFacts.text(InetAddress.getByName("0:0:0:0:0:0:0:0"))).isEqualTo("::");
        assertThat(LocalHostFacts.text(InetAddress.getByName("fe80:0:0:0:0:0:0:0"))).isEqualTo("fe80::");
    }

    @Test
    void ipv4_is_left_as_it_is() throws UnknownHostException {
        assertThat(LocalHostFacts.text(InetAddress.getByName("127.0.0.1"))).isEqualTo("127.0.0.1");
    }
}
