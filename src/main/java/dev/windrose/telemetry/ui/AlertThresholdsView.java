package dev.windrose.telemetry.ui;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.BigDecimalField;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.windrose.MainLayout;
import dev.windrose.common.InvalidInputException;
import dev.windrose.security.Role;
import dev.windrose.telemetry.AlertDeliveryService;
import dev.windrose.telemetry.AlertThresholds;
import dev.windrose.telemetry.EventService;
import jakarta.annotation.security.RolesAllowed;
import java.math.BigDecimal;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Administrators set what raises events: pool usage levels, the p99 latency bound, the queue-pair
 * error rate, and whether lost heartbeats, disk health and reconciliation errors raise anything.
 * The event service validates; its answer is shown at the field it names. Below, where events are
 * delivered besides the console ({@link AlertDeliveryForm}).
 */
@Route(value = AlertThresholdsView.ROUTE, layout = MainLayout.class)
@PageTitle("Alert thresholds")
@Menu(order = 11, icon = "vaadin:sliders", title = "Alert thresholds")
@RolesAllowed(Role.Names.ADMIN)
class AlertThresholdsView extends VerticalLayout {

    static final String ROUTE = "alert-thresholds";

    private final EventService events;
    private final IntegerField poolWarning = percentField("Pool usage warning at (%)");
    private final IntegerField poolCritical = percentField("Pool usage critical at (%)");
    private final BigDecimalField latencyP99 = new BigDecimalField("p99 latency bound (µs)");
    private final BigDecimalField queuePairErrors = new BigDecimalField("Queue-pair errors per minute");
    private final Checkbox hostHeartbeat = new Checkbox("Raise an event when a host stops sending heartbeats");
    private final Checkbox diskHealth = new Checkbox("Raise an event when a disk reports a warning or failure");
    private final Checkbox reconciliationErrors = new Checkbox(
            "Raise an event when the fabric's desired state cannot be applied");
    /** Which field shows the service's complaint about which property. */
    private final Map<String, HasValidation> fieldsByProperty = Map.of(
            "poolWarningPercent", poolWarning, "poolCriticalPercent", poolCritical,
            "latencyP99Micros", latencyP99, "queuePairErrorsPerMinute", queuePairErrors);

    AlertThresholdsView(EventService events, AlertDeliveryService deliveries) {
        this.events = events;
        setPadding(true);
        setMaxWidth("48rem");
        latencyP99.setHelperText("A namespace whose p99 over 10 s is above this raises a warning. Empty: off.");
        latencyP99.setClearButtonVisible(true);
        queuePairErrors.setHelperText("Errors on a subsystem's queue pairs at or above this rate raise a warning. Empty: off.");
        queuePairErrors.setClearButtonVisible(true);
        FormLayout form = new FormLayout(poolWarning, poolCritical, latencyP99, queuePairErrors, hostHeartbeat, diskHealth,
                reconciliationErrors);
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("30rem", 2));
        form.setColspan(hostHeartbeat, 2);
        form.setColspan(diskHealth, 2);
        form.setColspan(reconciliationErrors, 2);
        Button save = new Button("Save thresholds", click -> save());
        save.addThemeVariants(ButtonVariant.PRIMARY);
        Paragraph intro = new Paragraph("Changes take effect at the next evaluation; open events are re-evaluated "
                + "against the new values and cleared when their condition no longer holds.");
        intro.addClassNames(LumoUtility.TextColor.SECONDARY, LumoUtility.FontSize.SMALL);
        add(intro, form, save, new AlertDeliveryForm(deliveries));
        show(events.thresholds());
    }

    private void show(AlertThresholds thresholds) {
        poolWarning.setValue(thresholds.poolWarningPercent());
        poolCritical.setValue(thresholds.poolCriticalPercent());
        latencyP99.setValue(decimal(thresholds.latencyP99Micros()));
        queuePairErrors.setValue(decimal(thresholds.queuePairErrorsPerMinute()));
        hostHeartbeat.setValue(thresholds.hostHeartbeat());
        diskHealth.setValue(thresholds.diskHealth());
        reconciliationErrors.setValue(thresholds.reconciliationErrors());
    }

    private void save() {
        clearErrors();
        try {
            AlertThresholds wanted = new AlertThresholds(required(poolWarning, "poolWarningPercent"),
                    required(poolCritical, "poolCriticalPercent"), whole(latencyP99, "latencyP99Micros"),
                    whole(queuePairErrors, "queuePairErrorsPerMinute"), hostHeartbeat.getValue(),
                    diskHealth.getValue(), reconciliationErrors.getValue());
            show(events.updateThresholds(wanted));
            Notification.show("Alert thresholds saved.", 4_000, Notification.Position.BOTTOM_START)
                    .addThemeVariants(NotificationVariant.SUCCESS);
        } catch (InvalidInputException refused) {
            HasValidation field = fieldsByProperty.get(refused.field());
            if (field != null) {
                field.setErrorMessage(refused.getMessage());
                field.setInvalid(true);
            } else {
                Notification.show(refused.getMessage(), 10_000, Notification.Position.MIDDLE)
                        .addThemeVariants(NotificationVariant.ERROR);
            }
        }
    }

    private void clearErrors() {
        fieldsByProperty.values().forEach(field -> field.setInvalid(false));
    }

    private static int required(IntegerField field, String property) {
        if (field.getValue() == null) {
            throw new InvalidInputException(property, "Enter a whole percentage between 1 and 100.");
        }
        return field.getValue();
    }

    /** Empty means off; anything else must be a whole number (the service checks the range). */
    private static @Nullable Long whole(BigDecimalField field, String property) {
        BigDecimal value = field.getValue();
        if (value == null) {
            return null;
        }
        try {
            return value.longValueExact();
        } catch (ArithmeticException notWhole) {
            throw new InvalidInputException(property, "Enter a whole number, or leave it empty to switch this off.");
        }
    }

    private static @Nullable BigDecimal decimal(@Nullable Long value) {
        return value == null ? null : BigDecimal.valueOf(value);
    }

    private static IntegerField percentField(String label) {
        IntegerField field = new IntegerField(label);
        field.setMin(1);
        field.setMax(100);
        field.setStepButtonsVisible(true);
        return field;
    }
}
