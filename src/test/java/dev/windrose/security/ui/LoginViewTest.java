package dev.windrose.security.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.server.VaadinSession;
import dev.windrose.security.UserService;
import java.time.Duration;
import dev.windrose.security.internal.LoginThrottledException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.web.WebAttributes;
import org.springframework.test.context.ActiveProfiles;

/** What the sign-in page says after Spring Security sends the browser back with ?error. */
@SpringBootTest
@ActiveProfiles("test")
class LoginViewTest extends SpringBrowserlessTest {

    @Autowired
    UserService users;

    @BeforeEach
    void an_administrator_exists() {
        if (!users.hasAnyUser()) {
            users.createFirstAdmin("view-admin", "Granite-Lighthouse-Wren-11");
        }
    }

    @Test
    void without_an_error_the_form_shows_no_error() {
        navigate(LoginView.class);
        assertThat(find(LoginForm.class).single().isError()).isFalse();
    }

    @Test
    void a_wrong_password_shows_a_clear_message() {
        failedWith(new BadCredentialsException("Bad credentials"));
        LoginForm form = find(LoginForm.class).single();

        assertThat(form.isError()).isTrue();
        assertThat(i18n(form)).contains("\"title\":\"Incorrect username or password\"")
                .contains("The username or password is not correct.");
    }

    @Test
    void a_throttled_sign_in_says_how_long_to_wait() {
        failedWith(new LoginThrottledException(Duration.ofSeconds(30)));
        LoginForm form = find(LoginForm.class).single();

        assertThat(form.isError()).isTrue();
        assertThat(i18n(form)).contains("\"title\":\"Sign-in paused\"").contains("Try again in 30 seconds.");
    }

    /** The texts the form shows, as sent to the browser (AbstractLogin keeps getI18n() to itself). */
    private static String i18n(LoginForm form) {
        return String.valueOf(form.getElement().getPropertyRaw("i18n"));
    }

    private void failedWith(Exception failure) {
        VaadinSession.getCurrent().getSession().setAttribute(WebAttributes.AUTHENTICATION_EXCEPTION, failure);
        UI.getCurrent().navigate(LoginView.ROUTE, QueryParameters.of("error", ""));
        assertThat(getCurrentView()).isInstanceOf(LoginView.class);
    }
}
