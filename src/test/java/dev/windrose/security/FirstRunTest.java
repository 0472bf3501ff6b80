package dev.windrose.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.windrose.support.Browser;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

/** A fresh installation: no user, no default password, everything leads to the set-up. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "windrose.first-run-test=fresh-database")
@AutoConfigureMockMvc
@ActiveProfiles("test")
class FirstRunTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    UserService users;
    @Autowired
    JdbcTemplate jdbc;
    @LocalServerPort
    int port;

    @Test
    void every_page_leads_to_setup_until_the_first_admin_exists_and_setup_is_refused_afterwards() throws Exception {
        assertThat(users.hasAnyUser()).isFalse();
        Browser browser = new Browser(port);
        for (String page : new String[] {"/", "/login", "/users", "/some/deep/link"}) {
            HttpResponse<String> response = browser.open(page);
            assertThat(response.statusCode()).as(page).isEqualTo(302);
            assertThat(response.headers().firstValue("Location")).as(page).hasValueSatisfying(
                    location -> assertThat(location).endsWith("/setup"));
        }
        assertThat(browser.open("/setup").statusCode()).isEqualTo(200);
        mvc.perform(get("/api/v1/auth/whoami"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail", containsString("no administrator exists")));

        UserSummary admin = users.createFirstAdmin("First-Admin", "Granite-Lighthouse-Wren-11");
        assertThat(admin.username()).as("usernames are stored in lower case").isEqualTo("first-admin");
        assertThat(admin.roles()).containsExactly(Role.ADMIN);
        assertThat(jdbc.queryForObject("select password_hash from app_user", String.class))
                .as("stored as an Argon2 hash, never in clear").startsWith("{argon2}$argon2id$")
                .doesNotContain("Granite");

        assertThat(browser.open("/").headers().firstValue("Location"))
                .hasValueSatisfying(location -> assertThat(location).endsWith("/login"));
        mvc.perform(get("/api/v1/auth/whoami")).andExpect(status().isUnauthorized());
        assertThatThrownBy(() -> users.createFirstAdmin("intruder", "Another-Strong-Secret-77"))
                .isInstanceOf(SetupAlreadyDoneException.class);
        assertThat(jdbc.queryForObject("select count(*) from app_user", Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from audit_entry where action = 'FIRST_ADMIN_CREATED'",
                Integer.class)).isEqualTo(1);
    }

    @Test
    void the_first_admin_password_must_pass_the_policy() {
        assertThatThrownBy(() -> users.createFirstAdmin("admin", "admin123"))
                .isInstanceOf(WeakPasswordException.class)
                .hasMessageContaining("use at least 12");
    }
}
