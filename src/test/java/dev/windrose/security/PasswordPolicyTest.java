package dev.windrose.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordPolicyTest {

    private final PasswordPolicy policy = new PasswordPolicy();

    @Test
    void a_long_unusual_password_is_accepted() {
        assertThat(policy.problems("alice", "correct horse battery staple")).isEmpty();
        assertThat(policy.problems("alice", "Tr4il-Moss-Gale")).isEmpty();
    }

    @Test
    void a_short_password_is_refused_with_its_length_and_the_minimum() {
        assertThat(policy.problems("alice", "Xk3#pq9Lm")).containsExactly("is 9 characters long; use at least 12");
    }

    @Test
    void a_password_containing_the_username_is_refused() {
        assertThat(policy.problems("alice", "my-Alice-is-great")).containsExactly("contains the username");
    }

    @ParameterizedTest
    @ValueSource(strings = {"password1234", "Password!2024", "adminadminadmin", "Welcome12345", "qwertyuiop!!1"})
    void common_passwords_with_digits_or_symbols_added_are_refused(String password) {
        assertThat(policy.problems("bob", password))
                .contains("is a commonly used password; choose something less guessable");
    }

    @Test
    void digits_only_runs_and_too_few_distinct_characters_are_refused() {
        assertThat(policy.problems("bob", "123456789012")).containsExactly("consists of digits only; mix in letters or words");
        assertThat(policy.problems("bob", "abcdefghijklmn")).containsExactly("is a simple keyboard or alphabet sequence");
        assertThat(policy.problems("bob", "aaaaaaaaaaaaaaab")).containsExactly("uses fewer than 4 different characters");
    }

    @Test
    void check_throws_a_message_that_lists_every_problem_for_the_password_field() {
        assertThatThrownBy(() -> policy.check("root", "root123"))
                .isInstanceOf(WeakPasswordException.class)
                .hasMessage("The password is 7 characters long; use at least 12; it contains the username; "
                        + "it is a commonly used password; choose something less guessable.")
                .satisfies(e -> assertThat(((WeakPasswordException) e).field()).isEqualTo("password"));
    }
}
