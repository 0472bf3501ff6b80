package dev.windrose.security.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.windrose.security.UserService;
import dev.windrose.security.WeakPasswordException;
import java.util.List;
import org.junit.jupiter.api.Test;

class InitialAdministratorUnitTest {

    private final UserService users = mock(UserService.class);

    @Test
    void without_an_initial_password_no_user_is_created() {
        new InitialAdministrator(users, "admin", "").afterSingletonsInstantiated();
        verify(users, never()).createFirstAdmin(anyString(), anyString());
    }

    @Test
    void the_initial_password_is_ignored_once_any_user_exists() {
        when(users.hasAnyUser()).thenReturn(true);
        new InitialAdministrator(users, "admin", "Granite-Lighthouse-Wren-11").afterSingletonsInstantiated();
        verify(users, never()).createFirstAdmin(anyString(), anyString());
    }

    @Test
    void a_weak_initial_password_stops_the_start_with_the_reason() {
        when(users.createFirstAdmin("admin", "admin")).thenThrow(new WeakPasswordException(List.of("is 5 characters long; use at least 12")));
        assertThatThrownBy(() -> new InitialAdministrator(users, "admin", "admin").afterSingletonsInstantiated())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("WINDROSE_INITIAL_ADMIN_PASSWORD")
                .hasMessageContaining("use at least 12");
    }
}
