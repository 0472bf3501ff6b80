package dev.windrose.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.windrose.common.InvalidInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NqnTest {

    @ParameterizedTest
    @ValueSource(strings = {"nqn.2026-01.dev.windrose:alpha", "nqn.2014-08.org.nvmexpress:uuid:0f0e0d0c-0b0a-0908-0706-050403020100",
            "nqn.1992-05.com.example-storage.lab:subsystem/one", "nqn.2000-12.io.spdk:cnode1"})
    void names_of_both_forms_are_accepted(String nqn) {
        assertThat(Nqn.validate("nqn", "  " + nqn + " ")).isEqualTo(nqn);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "iqn.2026-01.dev.windrose:alpha", "nqn.2026-13.dev.windrose:alpha", "nqn.26-01.dev.windrose:alpha",
            "nqn.2026-01.windrose:alpha", "nqn.2026-01.dev.windrose", "nqn.2026-01.dev.windrose:", "nqn.2026-01.dev.windrose:has space",
            "nqn.2026-01.-dev.windrose:a", "nqn.2014-08.org.nvmexpress.discovery"})
    void malformed_names_are_rejected_with_the_expected_form(String nqn) {
        assertThatThrownBy(() -> Nqn.validate("nqn", nqn)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("nqn.yyyy-mm.reverse.domain:name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nqn.2014-08.org.nvmexpress:uuid:not-a-uuid", "nqn.2014-08.org.nvmexpress:uuid:0f0e0d0c0b0a090807060504030201000000"})
    void the_uuid_form_needs_a_real_uuid(String nqn) {
        assertThatThrownBy(() -> Nqn.validate("hostNqn", nqn)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is not one")
                .extracting(e -> ((InvalidInputException) e).field()).isEqualTo("hostNqn");
    }

    @org.junit.jupiter.api.Test
    void a_name_longer_than_223_bytes_is_rejected_and_223_bytes_are_accepted() {
        String prefix = "nqn.2026-01.dev.windrose:";
        String exact = prefix + "a".repeat(Nqn.MAX_BYTES - prefix.length());
        assertThat(Nqn.validate("nqn", exact)).hasSize(223);
        assertThatThrownBy(() -> Nqn.validate("nqn", exact + "a")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("at most 223 bytes");
        // Bytes, not characters: two-byte characters count twice.
        String wide = prefix + "é".repeat(100);
        assertThatThrownBy(() -> Nqn.validate("nqn", wide)).hasMessageContaining("this one has 225");
    }
}
