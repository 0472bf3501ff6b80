package dev.windrose.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.windrose.common.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ListenerAddressTest {

    @Test
    void ipv4_and_ipv6_literals_are_accepted_with_their_family() {
        assertThat(ListenerAddress.parse(" 192.0.2.10 ", 4420)).isEqualTo(new ListenerAddress("IPV4", "192.0.2.10", 4420));
        assertThat(ListenerAddress.parse("[FE80::1]", 4420)).isEqualTo(new ListenerAddress("IPV6", "fe80::1", 4420));
        assertThat(ListenerAddress.parse("::1", 8009).toString()).isEqualTo("[::1]:8009");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "example.com", "256.1.1.1", "1.2.3", "::g", "1:2", ""})
    void names_and_malformed_addresses_are_rejected(String address) {
        assertThatThrownBy(() -> ListenerAddress.parse(address, 4420)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is not an IPv4 or IPv6 address");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65536})
    void ports_outside_1_to_65535_are_rejected(int port) {
        assertThatThrownBy(() -> ListenerAddress.parse("127.0.0.1", port))
                .extracting(e -> ((InvalidInputException) e).field()).isEqualTo("port");
    }
}
