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
            "nqn.2026-01.-dev.windrose:a"})
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

    @org.junit.jupiter.api.Test
    void the_discovery_nqn_names_no_subsystem_or_host() {
        assertThatThrownBy(() -> Nqn.validate("nqn", "nqn.2014-08.org.nvmexpress.discovery"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("discovery controller's NQN");
    }

    /** A NUL would make the C dataplane see "…:twin"; CR/LF, ESC and bidi overrides forge logs, scripts, screens. */
    @ParameterizedTest
    @ValueSource(strings = {"nqn.2026-12.dev.example:twin\u0000evil", "nqn.2026-12.dev.example:h\u0000x",
            "nqn.2026-12.dev.example:a\rb", "nqn.2026-12.dev.example:a\nb", "nqn.2026-12.dev.example:a\u001b[31m",
            "nqn.2026-12.dev.example:a\u202egnp.exe", "nqn.2026-12.dev.example:a\u2066b", "nqn.2026-12.dev.example:a\u007f",
            "nqn.2026-12.dev.example:a\u0085b", "nqn.2026-12.dev.example:a\u2028b", "nqn.2026-12.dev.example:a\ud800b",
            "nqn.2026-12.dev.example:twin\u0000", "\u0000nqn.2026-12.dev.example:twin"})
    void names_with_control_characters_or_bidi_overrides_are_rejected_naming_the_field(String nqn) {
        assertThatThrownBy(() -> Nqn.validate("hostNqn", nqn)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("The hostNqn contains").hasMessageContaining("at position")
                .extracting(e -> ((InvalidInputException) e).field()).isEqualTo("hostNqn");
    }

    @org.junit.jupiter.api.Test
    void the_message_names_the_character_and_where_it_is() {
        assertThatThrownBy(() -> Nqn.validate("nqn", "nqn.2026-12.dev.example:twin\u0000evil"))
                .hasMessageStartingWith("The nqn contains a control character (U+0000 NUL) at position 29");
    }

    @org.junit.jupiter.api.Test
    void printable_unicode_after_the_colon_is_an_nqn() {
        assertThat(Nqn.isValid("nqn.2026-12.dev.example:stockage-é")).isTrue();
        assertThat(Nqn.isValid("nqn.2026-12.dev.example:with'quote$(x)")).isTrue();
    }
}
