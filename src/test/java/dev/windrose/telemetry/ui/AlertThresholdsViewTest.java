package dev.windrose.telemetry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.textfield.BigDecimalField;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.spring.security.VaadinAwareSecurityContextHolderStrategy;
import dev.windrose.security.Role;
import dev.windrose.security.UserService;
import dev.windrose.telemetry.AlertThresholds;
import dev.windrose.telemetry.EventService;
import java.math.BigDecimal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The alert thresholds form, driven on the server: it shows what is stored, refuses what the event
 * service refuses at the field the refusal names (and stores nothing then), and saves what is valid.
 */
@SpringBootTest(properties = TelemetryViewTests.CONTEXT)
@ActiveProfiles("test")
class AlertThresholdsViewTest extends SpringBrowserlessTest {

    private static final AlertThresholds START = new AlertThresholds(80, 90, 10_000L, 1L, true, true, true);

    @Autowired
    UserService users;
    @Autowired
    EventService events;
    @Autowired
    VaadinAwareSecurityContextHolderStrategy securityContexts;

    private AlertThresholds before;

    @BeforeEach
    void an_administrator_opens_the_thresholds() {
        TelemetryViewTests.ensureAdmin(users);
        TelemetryViewTests.signInAs(securityContexts, TelemetryViewTests.ADMIN, Role.ADMIN);
        before = events.thresholds();
        events.updateThresholds(START);
        navigate(AlertThresholdsView.class);
    }

    @AfterEach
    void the_thresholds_are_restored() {
        TelemetryViewTests.signInAs(securityContexts, TelemetryViewTests.ADMIN, Role.ADMIN);
        events.updateThresholds(before);
    }

    @Test
    void the_form_shows_the_stored_thresholds() {
        assertThat(integer("Pool usage warning at (%)").getValue()).isEqualTo(80);
        assertThat(integer("Pool usage critical at (%)").getValue()).isEqualTo(90);
        assertThat(decimal("p99 latency bound (µs)").getValue()).isEqualByComparingTo("10000");
        assertThat(decimal("Queue-pair errors per minute").getValue()).isEqualByComparingTo("1");
        assertThat(checkbox("Raise an event when a host stops sending heartbeats").getValue()).isTrue();
    }

    @Test
    void a_critical_level_below_the_warning_level_is_refused_at_the_critical_field_and_nothing_is_stored() {
        test(integer("Pool usage critical at (%)")).setValue(70);
        save();

        IntegerField critical = integer("Pool usage critical at (%)");
        assertThat(critical.isInvalid()).isTrue();
        assertThat(critical.getErrorMessage()).isEqualTo("The pool critical level is between the warning level (80) and 100, not 70.");
        assertThat(integer("Pool usage warning at (%)").isInvalid()).isFalse();
        assertThat(events.thresholds()).isEqualTo(START);
    }

    @Test
    void an_empty_warning_level_is_refused_with_the_rule() {
        integer("Pool usage warning at (%)").clear();
        save();

        IntegerField warning = integer("Pool usage warning at (%)");
        assertThat(warning.isInvalid()).isTrue();
        assertThat(warning.getErrorMessage()).isEqualTo("Enter a whole percentage between 1 and 100.");
        assertThat(events.thresholds()).isEqualTo(START);
    }

    @Test
    void a_latency_bound_that_is_not_a_whole_number_or_out_of_range_is_refused_at_its_field() {
        decimal("p99 latency bound (µs)").setValue(new BigDecimal("2.5"));
        save();
        assertThat(decimal("p99 latency bound (µs)").isInvalid()).isTrue();
        assertThat(decimal("p99 latency bound (µs)").getErrorMessage())
                .isEqualTo("Enter a whole number, or leave it empty to switch this off.");

        decimal("p99 latency bound (µs)").setValue(BigDecimal.ZERO);
        save();
        assertThat(decimal("p99 latency bound (µs)").isInvalid()).isTrue();
        assertThat(decimal("p99 latency bound (µs)").getErrorMessage()).startsWith("The p99 latency bound is 1 to ")
                .endsWith(" µs, or null to switch the rule off; not 0.");
        assertThat(events.thresholds()).isEqualTo(START);
    }

    @Test
    void valid_thresholds_are_saved_shown_and_earlier_complaints_go() {
        test(integer("Pool usage critical at (%)")).setValue(70);
        save();
        assertThat(integer("Pool usage critical at (%)").isInvalid()).isTrue();

        test(integer("Pool usage warning at (%)")).setValue(60);
        decimal("p99 latency bound (µs)").setValue(new BigDecimal("2500"));
        decimal("Queue-pair errors per minute").clear();
        test(checkbox("Raise an event when a host stops sending heartbeats")).click();
        save();

        assertThat(events.thresholds()).isEqualTo(new AlertThresholds(60, 70, 2_500L, null, false, true, true));
        assertThat(integer("Pool usage critical at (%)").isInvalid()).isFalse();
        assertThat(decimal("Queue-pair errors per minute").getValue()).isNull();
        assertThat(test(find(Notification.class).last()).getText()).isEqualTo("Alert thresholds saved.");
    }

    private void save() {
        test(find(Button.class).withText("Save thresholds").single()).click();
    }

    private IntegerField integer(String label) {
        return find(IntegerField.class).withCaption(label).single();
    }

    private BigDecimalField decimal(String label) {
        return find(BigDecimalField.class).withCaption(label).single();
    }

    private Checkbox checkbox(String label) {
        return find(Checkbox.class).withCaption(label).single();
    }
}
