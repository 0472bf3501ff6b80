package dev.windrose.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"lab token", "Build server 7", "café", "東京-01", "a'b\"c$(d)`e`;f", "عربي"})
    void printable_names_in_any_script_are_accepted(String name) {
        assertThat(Names.text("name", "  " + name + " ", 64)).isEqualTo(name);
        assertThat(Names.isSafe(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "a\rb", "a\nb", "a\tb", "a\u001bb", "a\u007fb", "a\u0085b", "a\u009bb",
            "a\u2028b", "a\u2029b", "a\u202ab", "a\u202db", "a\u202eb", "a\u2066b", "a\u2069b", "a\ud800b", "a\udc00",
            "name\r\n", "\u0000"})
    void control_characters_line_breaks_bidi_overrides_and_lone_surrogates_are_refused(String name) {
        assertThat(Names.isSafe(name)).isFalse();
        assertThatThrownBy(() -> Names.text("tokenName", name, 64)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("The tokenName contains ").hasMessageContaining("Remove it")
                .extracting(e -> ((InvalidInputException) e).field()).isEqualTo("tokenName");
    }

    @Test
    void the_message_says_which_character_and_where() {
        assertThatThrownBy(() -> Names.requireSafe("name", "ab\u001b[31m"))
                .hasMessageStartingWith("The name contains a control character (U+001B ESC) at position 3;");
        assertThatThrownBy(() -> Names.requireSafe("name", "x\u202Etxt.exe"))
                .hasMessageStartingWith("The name contains a bidirectional override (U+202E) at position 2;");
    }

    @Test
    void length_counts_characters_and_blank_names_are_refused() {
        assertThat(Names.text("name", "😀".repeat(4), 4)).hasSize(8);
        assertThatThrownBy(() -> Names.text("name", "abcde", 4)).hasMessageContaining("1 to 4 characters");
        assertThatThrownBy(() -> Names.text("name", "   ", 4)).hasMessageContaining("1 to 4 characters");
        assertThatThrownBy(() -> Names.text("name", null, 4)).hasMessageContaining("1 to 4 characters");
    }
}
