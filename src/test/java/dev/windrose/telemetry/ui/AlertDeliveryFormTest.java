package dev.windrose.telemetry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.spring.security.VaadinAwareSecurityContextHolderStrategy;
import dev.windrose.security.Role;
import dev.windrose.security.UserService;
import dev.windrose.telemetry.AlertDeliveryService;
import dev.windrose.telemetry.AlertDeliveryUpdate;
import dev.windrose.telemetry.Severity;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * The delivery part of the alert settings, driven on the server against a real SMTP server (GreenMail in
 * this JVM): a test e-mail is sent from the form, the stored password is never put back into a field,
 * and a malformed recipient is refused at its field.
 */
@SpringBootTest(properties = TelemetryViewTests.CONTEXT)
@ActiveProfiles("test")
class AlertDeliveryFormTest extends SpringBrowserlessTest {

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("console", "Form-Secret-99"));

    @Autowired
    UserService users;
    @Autowired
    AlertDeliveryService deliveries;
    @Autowired
    VaadinAwareSecurityContextHolderStrategy securityContexts;
    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void an_administrator_opens_the_alert_settings() {
        TelemetryViewTests.ensureAdmin(users);
        TelemetryViewTests.signInAs(securityContexts, TelemetryViewTests.ADMIN, Role.ADMIN);
        navigate(AlertThresholdsView.class);
    }

    @AfterEach
    void delivery_is_switched_off() {
        jdbc.sql("UPDATE alert_delivery SET webhook_secret = NULL, webhook_secret_created_at = NULL").update();
        TelemetryViewTests.signInAs(securityContexts, TelemetryViewTests.ADMIN, Role.ADMIN);
        deliveries.update(new AlertDeliveryUpdate(
                new AlertDeliveryUpdate.Email(false, "", 587, true, null, "", "", List.of(), Severity.WARNING),
                new AlertDeliveryUpdate.Webhook(false, "", Severity.WARNING)));
    }

    @Test
    void a_test_email_is_sent_from_the_form_and_the_password_is_not_shown_again() throws Exception {
        test(checkbox("Send events by e-mail")).click();
        text("SMTP server").setValue("127.0.0.1");
        find(IntegerField.class).withCaption("Port").single().setValue(SMTP.getSmtp().getPort());
        if (checkbox("Require STARTTLS (never send the password or the message in clear)").getValue()) {
            test(checkbox("Require STARTTLS (never send the password or the message in clear)")).click();
        }
        text("User name").setValue("console");
        password().setValue("Form-Secret-99");
        text("From").setValue("windrose@example.com");
        text("To").setValue("storage@example.com, oncall@example.com");

        test(find(Button.class).withText("Send a test e-mail").single()).click();

        assertThat(SMTP.waitForIncomingEmail(10_000, 2)).isTrue();
        MimeMessage received = SMTP.getReceivedMessages()[0];
        assertThat(received.getSubject()).isEqualTo("[Windrose] Test message");
        assertThat(test(find(Notification.class).last()).getText())
                .isEqualTo("Test delivered: sent to storage@example.com, oncall@example.com through 127.0.0.1:"
                        + SMTP.getSmtp().getPort());
        assertThat(password().getValue()).isEmpty();
        assertThat(password().getHelperText()).isEqualTo("A password is stored. Leave this empty to keep it.");
        assertThat(deliveries.settings().email().passwordSet()).isTrue();
        assertThat(deliveries.settings().email().last()).isNotNull();
    }

    @Test
    void a_malformed_recipient_is_refused_at_the_to_field_and_nothing_is_sent() {
        test(checkbox("Send events by e-mail")).click();
        text("SMTP server").setValue("127.0.0.1");
        text("From").setValue("windrose@example.com");
        text("To").setValue("storage at example");

        test(find(Button.class).withText("Send a test e-mail").single()).click();

        assertThat(text("To").isInvalid()).isTrue();
        assertThat(text("To").getErrorMessage())
                .isEqualTo("The recipient 'storage at example' is not an e-mail address (e.g. storage@example.com).");
        assertThat(SMTP.getReceivedMessages()).isEmpty();
        assertThat(deliveries.settings().email().enabled()).isFalse();
    }

    @Test
    void a_signing_secret_is_shown_once_in_a_dialog_and_the_form_then_says_posts_are_signed() {
        Span signing = find(Span.class).withText("Posts are not signed: a receiver cannot tell them from anyone else's.")
                .single();

        test(find(Button.class).withText("Create a signing secret").single()).click();

        String secret = find(TextField.class).withCaption("Signing secret").single().getValue();
        assertThat(secret).startsWith("wrhook_").hasSize(50);
        assertThat(find(Dialog.class).single().getHeaderTitle()).isEqualTo("The webhook's signing secret");
        assertThat(signing.getText()).startsWith("Posts are signed (X-Windrose-Signature) with a secret created ");
        assertThat(find(Button.class).withText("Replace the signing secret").exists()).isTrue();
        assertThat(deliveries.settings().webhook().secretCreatedAt()).isNotNull();
        assertThat(deliveries.settings().toString()).doesNotContain(secret);
    }

    private TextField text(String label) {
        return find(TextField.class).withCaption(label).single();
    }

    private PasswordField password() {
        return find(PasswordField.class).withCaption("Password").single();
    }

    private Checkbox checkbox(String label) {
        return find(Checkbox.class).withCaption(label).single();
    }
}
