package dev.windrose.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windrose.support.Shells;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PowerShellTest {

    static java.util.List<String> hostile() {
        return java.util.stream.Stream.concat(PosixShellTest.HOSTILE.stream(), java.util.stream.Stream.of(
                "'; Remove-Item -Recurse C:\\ ; '", "$(Stop-Computer)", "$env:PATH", "a’; Stop-Computer; ‘",
                "‚‛", "''", "a\r\nStop-Computer", "@'\nx\n'@", "`$x")).toList();
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void a_quoted_value_is_one_verbatim_string_that_reads_back_exactly(String value) {
        String quoted = PowerShell.quote(value);

        Shells.Literal literal = Shells.powerShellString(quoted, 0);
        assertThat(literal.value()).isEqualTo(value);
        assertThat(literal.end()).as("the literal spans the whole quoted text").isEqualTo(quoted.length());
    }

    @Test
    void typographic_single_quotes_are_doubled_like_the_ascii_one() {
        assertThat(PowerShell.quote("it's")).isEqualTo("'it''s'");
        assertThat(PowerShell.quote("a’b‘c‚d‛e")).isEqualTo("'a’’b‘‘c‚‚d‛‛e'");
    }
}
