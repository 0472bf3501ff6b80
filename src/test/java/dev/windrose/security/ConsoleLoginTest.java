package dev.windrose.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.windrose.support.Browser;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.web.WebAttributes;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;

/** The console's form login (the page is Vaadin's; the POST is Spring Security's). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@ActiveProfiles("test")
class ConsoleLoginTest {

    private static final AtomicInteger ADDRESSES = new AtomicInteger(10);

    @Autowired
    MockMvc mvc;
    @Autowired
    UserService users;
    @Autowired
    JdbcTemplate jdbc;
    @LocalServerPort
    int port;

    @BeforeEach
    void an_administrator_exists() {
        if (!users.hasAnyUser()) {
            users.createFirstAdmin(ApiSecurityTest.ADMIN, ApiSecurityTest.ADMIN_PASSWORD);
        }
    }

    @Test
    void an_anonymous_visitor_is_sent_to_the_login_page() throws Exception {
        Browser browser = new Browser(port);
        HttpResponse<String> home = browser.open("/");
        assertThat(home.statusCode()).isEqualTo(302);
        assertThat(home.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/login"));
        HttpResponse<String> login = browser.open("/login");
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).contains("<title>Windrose</title>");
    }

    @Test
    void the_console_icon_loads_without_signing_in() throws Exception {
        // Signed out (on the login and set-up pages) the browser asks for the icon too: a redirect to the
        // login page answered the image request with a 404, which Chromium logs as a console error.
        HttpResponse<String> icon = new Browser(port).open("/icons/windrose.svg");
        assertThat(icon.statusCode()).isEqualTo(200);
        assertThat(icon.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("image/svg+xml"));
    }

    @Test
    void the_right_password_signs_in_and_is_audited() throws Exception {
        MvcResult result = login(ApiSecurityTest.ADMIN, ApiSecurityTest.ADMIN_PASSWORD, nextAddress())
                .andExpect(status().isFound()).andReturn();
        assertThat(result.getResponse().getRedirectedUrl()).doesNotContain("error");
        assertThat(lastAuditAction(ApiSecurityTest.ADMIN)).isEqualTo("LOGIN");

        MockHttpSession session = (MockHttpSession) result.getRequest().getSession(false);
        assertThat(session).isNotNull();
        mvc.perform(post("/logout").session(session).with(csrf())).andExpect(status().isFound());
        assertThat(lastAuditAction(ApiSecurityTest.ADMIN)).isEqualTo("LOGOUT");
    }

    @Test
    void a_signed_in_user_reaches_the_console_for_an_unknown_path_instead_of_a_bare_403() throws Exception {
        MvcResult signedIn = login(ApiSecurityTest.ADMIN, ApiSecurityTest.ADMIN_PASSWORD, nextAddress()).andReturn();
        MockHttpSession session = (MockHttpSession) signedIn.getRequest().getSession(false);
        assertThat(session).isNotNull();
        // MockMvc cannot run the Vaadin servlet; reaching it (a forward to it) is what this checks.
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/no-such-page")
                        .session(session).accept(org.springframework.http.MediaType.TEXT_HTML))
                .andExpect(status().isOk());
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/no-such-page")
                        .accept(org.springframework.http.MediaType.TEXT_HTML).with(request -> {
                            request.setRemoteAddr(nextAddress());
                            return request;
                        }))
                .andExpect(status().isFound())
                .andExpect(redirectedUrl("/login"));
    }

    @Test
    void a_wrong_password_returns_to_the_login_page_with_an_error_and_is_audited() throws Exception {
        login(ApiSecurityTest.ADMIN, "Definitely-Not-It-123", nextAddress())
                .andExpect(status().isFound())
                .andExpect(redirectedUrl("/login?error"));
        assertThat(lastAuditAction(ApiSecurityTest.ADMIN)).isEqualTo("LOGIN_FAILED");
    }

    @Test
    void after_five_failures_from_one_address_the_form_refuses_even_the_right_password_and_says_why() throws Exception {
        String address = nextAddress();
        for (int i = 0; i < 5; i++) {
            login("nobody-" + i, "Wrong-Password-Number-" + i, address).andExpect(redirectedUrl("/login?error"));
        }
        MvcResult locked = login(ApiSecurityTest.ADMIN, ApiSecurityTest.ADMIN_PASSWORD, address)
                .andExpect(redirectedUrl("/login?error")).andReturn();
        Object failure = locked.getRequest().getSession().getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
        assertThat(failure).isInstanceOf(LockedException.class);
        assertThat(((LockedException) failure).getMessage()).contains("Too many failed sign-ins").contains("Try again in");
        assertThat(lastAuditAction(ApiSecurityTest.ADMIN)).isEqualTo("LOGIN_THROTTLED");
    }

    private ResultActions login(String username, String password, String address) throws Exception {
        return mvc.perform(post("/login").with(csrf()).with(request -> {
            request.setRemoteAddr(address);
            return request;
        }).param("username", username).param("password", password));
    }

    private String lastAuditAction(String actor) {
        return jdbc.queryForObject("select action from audit_entry where actor = ? order by id desc limit 1",
                String.class, actor);
    }

    private static String nextAddress() {
        return "10.2.0." + ADDRESSES.incrementAndGet();
    }
}
