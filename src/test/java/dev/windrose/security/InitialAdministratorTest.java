package dev.windrose.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/** Headless install: the administrator comes from WINDROSE_INITIAL_ADMIN_USERNAME/PASSWORD. */
@SpringBootTest(properties = {
        "windrose.initial-admin.username=ops",
        "windrose.initial-admin.password=Copper-Kettle-Meadow-93"})
@ActiveProfiles("test")
class InitialAdministratorTest {

    @Autowired
    UserService users;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void the_initial_password_creates_the_first_administrator_at_start_and_is_audited_as_system() {
        assertThat(users.hasAnyUser()).isTrue();
        assertThat(jdbc.queryForObject("select username from app_user", String.class)).isEqualTo("ops");
        assertThat(jdbc.queryForObject("select role from app_user_role", String.class)).isEqualTo("ADMIN");
        assertThat(jdbc.queryForObject("select actor from audit_entry where action = 'FIRST_ADMIN_CREATED'",
                String.class)).isEqualTo("system");
    }
}
