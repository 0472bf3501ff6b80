package dev.windrose.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windrose.support.Shells;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PosixShellTest {

    /** What an operator might put into a name to make an administrator's shell run it. */
    static final List<String> HOSTILE = List.of("$(touch pwned)", "`touch pwned`", "a; touch pwned", "a'b",
            "'; touch pwned; '", "a\nb", "a\ntouch pwned", "$HOME", "${HOME}", "*", "~", "a b", "a|touch pwned",
            "a&&touch pwned", "a>pwned", "<pwned", "\\", "a\\'b", "\"$(touch pwned)\"", "-", "", "#x", "a\tb",
            "!x", "é’'‘x", "a\u001b[31m", "\u202etxt", "nqn.2026-12.dev.example:it's$(id)`id`;x");

    static Stream<Arguments> hostileInEachShell() {
        return Shells.POSIX.stream().flatMap(shell -> HOSTILE.stream().map(value -> Arguments.of(shell, value)));
    }

    @ParameterizedTest
    @MethodSource("hostileInEachShell")
    void a_quoted_value_reaches_the_command_exactly_and_runs_nothing(List<String> shell, String value,
            @TempDir Path dir) throws Exception {
        List<List<String>> calls = Shells.run(shell, "show " + PosixShell.quote(value) + " end\n", dir, "show", "touch");

        assertThat(calls).containsExactly(List.of("show", value, "end"));
        assertThat(dir.resolve("pwned")).doesNotExist();
    }

    @Test
    void plain_values_stay_as_typed_and_everything_else_is_single_quoted() {
        assertThat(PosixShell.quote("nqn.2026-01.com.example:vol1")).isEqualTo("nqn.2026-01.com.example:vol1");
        assertThat(PosixShell.quote("192.0.2.10")).isEqualTo("192.0.2.10");
        assertThat(PosixShell.quote("fd00::5")).isEqualTo("fd00::5");
        assertThat(PosixShell.quote("a'b")).isEqualTo("'a'\\''b'");
        assertThat(PosixShell.quote("$(id)")).isEqualTo("'$(id)'");
        assertThat(PosixShell.quote("")).isEqualTo("''");
    }

    @Test
    void a_comment_cannot_be_ended_by_a_line_break_in_the_value(@TempDir Path dir) throws Exception {
        String comment = "# name: " + PosixShell.comment("x\ntouch pwned\r\u2028\u202e") + "\n";

        assertThat(comment.lines()).hasSize(1);
        assertThat(comment).contains("x\\u000atouch pwned\\u000d\\u2028\\u202e");
        assertThat(Shells.run(Shells.POSIX.getFirst(), comment, dir, "touch")).isEmpty();
        assertThat(Files.exists(dir.resolve("pwned"))).isFalse();
    }
}
