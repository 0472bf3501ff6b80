package dev.windrose.security.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import dev.windrose.security.UserService;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * The set-up page as a user meets it, driven on the server (no browser). One fresh database for the
 * class; the steps run in order because creating the admin ends the first run.
 */
@SpringBootTest(properties = "windrose.view-test=first-run")
@ActiveProfiles("test")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FirstRunViewTest extends SpringBrowserlessTest {

    @Autowired
    UserService users;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    @Order(1)
    void a_weak_password_is_refused_under_the_field_in_words_and_creates_nobody() {
        navigate(FirstRunView.class);
        fill("admin", "admin2024", "admin2024");

        PasswordField password = find(PasswordField.class).withCaption("Password").single();
        assertThat(password.isInvalid()).isTrue();
        assertThat(password.getErrorMessage()).contains("use at least 12").contains("contains the username");
        assertThat(users.hasAnyUser()).isFalse();
    }

    @Test
    @Order(2)
    void two_different_passwords_are_refused_under_the_repeat_field() {
        navigate(FirstRunView.class);
        fill("admin", "Granite-Lighthouse-Wren-11", "Granite-Lighthouse-Wren-12");

        PasswordField repeat = find(PasswordField.class).withCaption("Repeat the password").single();
        assertThat(repeat.isInvalid()).isTrue();
        assertThat(repeat.getErrorMessage()).isEqualTo("The two passwords differ.");
        assertThat(users.hasAnyUser()).isFalse();
    }

    @Test
    @Order(3)
    void a_good_password_creates_the_administrator_and_leads_to_the_sign_in_page() {
        navigate(FirstRunView.class);
        fill("Admin", "Granite-Lighthouse-Wren-11", "Granite-Lighthouse-Wren-11");

        assertThat(getCurrentView()).isInstanceOf(LoginView.class);
        assertThat(jdbc.queryForObject("select username from app_user", String.class)).isEqualTo("admin");
    }

    @Test
    @Order(4)
    void once_an_administrator_exists_the_set_up_page_is_refused() {
        assertThat(users.hasAnyUser()).isTrue();
        UI.getCurrent().navigate(FirstRunView.class);
        assertThat(getCurrentView()).isInstanceOf(LoginView.class);
    }

    private void fill(String username, String password, String repeat) {
        test(find(TextField.class).withCaption("Administrator username").single()).setValue(username);
        test(find(PasswordField.class).withCaption("Password").single()).setValue(password);
        test(find(PasswordField.class).withCaption("Repeat the password").single()).setValue(repeat);
        test(find(Button.class).withText("Create administrator").single()).click();
    }
}
