package dev.windrose.telemetry.ui;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.windrose.common.InvalidInputException;
import dev.windrose.common.ui.CopyableCommand;
import dev.windrose.common.ui.Notices;
import dev.windrose.telemetry.AlertDelivery;
import dev.windrose.telemetry.AlertDeliveryService;
import dev.windrose.telemetry.AlertDeliveryUpdate;
import dev.windrose.telemetry.DeliveryChannel;
import dev.windrose.telemetry.Severity;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where events go besides the console: an e-mail through an SMTP server and a JSON POST to a webhook,
 * each with the least severity it carries and a button that sends a test. The stored SMTP password is
 * never shown: the field stays empty, its helper says whether one is stored, and an empty field keeps it.
 */
class AlertDeliveryForm extends VerticalLayout {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final AlertDeliveryService deliveries;
    private final Checkbox emailEnabled = new Checkbox("Send events by e-mail");
    private final TextField smtpHost = new TextField("SMTP server");
    private final IntegerField smtpPort = new IntegerField("Port");
    private final Checkbox startTls = new Checkbox("Require STARTTLS (never send the password or the message in clear)");
    private final TextField username = new TextField("User name");
    private final PasswordField password = new PasswordField("Password");
    private final Checkbox forgetPassword = new Checkbox("Remove the stored password");
    private final TextField from = new TextField("From");
    private final TextField to = new TextField("To");
    private final Select<Severity> emailSeverity = severitySelect();
    private final Span emailLast = lastOutcome();
    private final Checkbox webhookEnabled = new Checkbox("Post events to a webhook");
    private final TextField webhookUrl = new TextField("Webhook URL");
    private final Select<Severity> webhookSeverity = severitySelect();
    private final Span webhookLast = lastOutcome();
    private final Span webhookSigning = new Span();
    private final Button webhookSecret = new Button("Create a signing secret", click -> createOrReplaceSecret());
    private final Map<String, HasValidation> fieldsByProperty = Map.of("email.smtpHost", smtpHost,
            "email.smtpPort", smtpPort, "email.from", from, "email.to", to, "email.username", username,
            "webhook.url", webhookUrl);

    AlertDeliveryForm(AlertDeliveryService deliveries) {
        this.deliveries = deliveries;
        setPadding(false);
        smtpPort.setMin(1);
        smtpPort.setMax(65_535);
        smtpHost.setPlaceholder("smtp.example.com");
        smtpPort.setHelperText("587 for STARTTLS, 25 without");
        from.setPlaceholder("windrose@example.com");
        to.setPlaceholder("storage-team@example.com, oncall@example.com");
        to.setHelperText("One address or several, separated by commas.");
        username.setHelperText("Empty: the server is used without signing in.");
        webhookUrl.setPlaceholder("https://hooks.example.com/windrose");
        webhookUrl.setHelperText("Receives a JSON POST per event; a failed post is retried three times, "
                + "1 s, 2 s apart, each waiting 5 s at most.");
        emailSeverity.setLabel("Send");
        webhookSeverity.setLabel("Send");

        FormLayout email = new FormLayout(emailEnabled, smtpHost, smtpPort, startTls, username, password, forgetPassword,
                from, to, emailSeverity);
        email.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("30rem", 2));
        email.setColspan(emailEnabled, 2);
        email.setColspan(startTls, 2);
        email.setColspan(forgetPassword, 2);
        email.setColspan(to, 2);
        FormLayout webhook = new FormLayout(webhookEnabled, webhookUrl, webhookSeverity);
        webhook.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1), new FormLayout.ResponsiveStep("30rem", 2));
        webhook.setColspan(webhookEnabled, 2);
        webhook.setColspan(webhookUrl, 2);

        Button save = new Button("Save delivery", click -> {
            if (save()) {
                Notices.success("Alert delivery saved.");
            }
        });
        save.addThemeVariants(ButtonVariant.PRIMARY);
        Button testEmail = new Button("Send a test e-mail", click -> saveAndTest(DeliveryChannel.EMAIL));
        Button testWebhook = new Button("Send a test to the webhook", click -> saveAndTest(DeliveryChannel.WEBHOOK));
        HorizontalLayout buttons = new HorizontalLayout(save, testEmail, testWebhook);
        buttons.setWrap(true);
        buttons.setAlignItems(FlexComponent.Alignment.BASELINE);

        Paragraph intro = new Paragraph("Raised, escalated and cleared events are sent as they happen; "
                + "acknowledgements are not. A test saves the settings first, then sends through them and waits for the answer.");
        intro.addClassNames(LumoUtility.TextColor.SECONDARY, LumoUtility.FontSize.SMALL);
        HorizontalLayout signing = new HorizontalLayout(webhookSigning, webhookSecret);
        signing.setAlignItems(FlexComponent.Alignment.BASELINE);
        signing.setWrap(true);
        webhookSigning.addClassNames(LumoUtility.FontSize.SMALL);
        add(new H2("Delivery"), intro, new H3("E-mail"), email, emailLast, new H3("Webhook"), webhook, signing, webhookLast,
                buttons);
        show(deliveries.settings());
    }

    private void show(AlertDelivery settings) {
        AlertDelivery.Email email = settings.email();
        emailEnabled.setValue(email.enabled());
        smtpHost.setValue(email.smtpHost());
        smtpPort.setValue(email.smtpPort());
        startTls.setValue(email.startTls());
        username.setValue(email.username() == null ? "" : email.username());
        password.clear();
        password.setHelperText(email.passwordSet() ? "A password is stored. Leave this empty to keep it."
                : "No password is stored.");
        forgetPassword.setValue(false);
        forgetPassword.setVisible(email.passwordSet());
        from.setValue(email.from());
        to.setValue(String.join(", ", email.to()));
        emailSeverity.setValue(email.minimumSeverity());
        showOutcome(emailLast, email.last());
        AlertDelivery.Webhook webhook = settings.webhook();
        webhookEnabled.setValue(webhook.enabled());
        webhookUrl.setValue(webhook.url());
        webhookSeverity.setValue(webhook.minimumSeverity());
        showOutcome(webhookLast, webhook.last());
        webhookSigning.setText(webhook.secretCreatedAt() == null
                ? "Posts are not signed: a receiver cannot tell them from anyone else's."
                : "Posts are signed (X-Windrose-Signature) with a secret created " + WHEN.format(webhook.secretCreatedAt()) + ".");
        webhookSecret.setText(webhook.secretCreatedAt() == null ? "Create a signing secret" : "Replace the signing secret");
    }

    /** A first secret is made at once; replacing one asks first, as the receiver must then be given the new one. */
    private void createOrReplaceSecret() {
        if (deliveries.settings().webhook().secretCreatedAt() == null) {
            showNewSecret(deliveries.createWebhookSecret());
            return;
        }
        ConfirmDialog confirm = new ConfirmDialog("Replace the signing secret?",
                "Posts are signed with the new secret from now on: the receiver refuses them until it is given the new "
                        + "one. The old secret stops working at once.", "Replace", confirmed -> showNewSecret(
                        deliveries.createWebhookSecret()));
        confirm.setCancelable(true);
        confirm.setConfirmButtonTheme("error primary");
        confirm.open();
    }

    private void showNewSecret(AlertDelivery.WebhookSecret created) {
        show(deliveries.settings());
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("The webhook's signing secret");
        CopyableCommand secret = new CopyableCommand("Signing secret");
        secret.setCommand(created.secret());
        Paragraph once = new Paragraph("Copy it now into the receiver: it is shown this once and cannot be read again. "
                + "The receiver checks X-Windrose-Signature, sha256= and the hex HMAC-SHA256 of the X-Windrose-Timestamp "
                + "value, a dot and the body, and refuses posts whose timestamp is more than five minutes old.");
        dialog.add(secret, once);
        dialog.setWidth("min(44rem, 95vw)");
        dialog.getFooter().add(new Button("Done", click -> dialog.close()));
        dialog.open();
    }

    private static void showOutcome(Span target, AlertDelivery.@Nullable Outcome outcome) {
        if (outcome == null) {
            target.setText("Nothing sent yet.");
            target.getElement().getThemeList().set("badge", false);
            return;
        }
        target.setText("Last sent " + WHEN.format(outcome.at()) + ": " + (outcome.delivered() ? "delivered, " : "FAILED, ")
                + outcome.detail());
        target.getElement().getThemeList().set("badge", true);
        target.getElement().getThemeList().set("success", outcome.delivered());
        target.getElement().getThemeList().set("error", !outcome.delivered());
    }

    /** Stores the form; false (with the problem at its field) when the service refused it. */
    private boolean save() {
        fieldsByProperty.values().forEach(field -> field.setInvalid(false));
        try {
            if (smtpPort.getValue() == null) {
                throw new InvalidInputException("email.smtpPort", "Enter the SMTP port, e.g. 587.");
            }
            String newPassword = forgetPassword.getValue() ? "" : password.getValue().isEmpty() ? null : password.getValue();
            List<String> recipients = Arrays.stream(to.getValue().split(",")).map(String::strip)
                    .filter(address -> !address.isEmpty()).toList();
            AlertDeliveryUpdate update = new AlertDeliveryUpdate(
                    new AlertDeliveryUpdate.Email(emailEnabled.getValue(), smtpHost.getValue(), smtpPort.getValue(),
                            startTls.getValue(), username.getValue(), newPassword, from.getValue(), recipients,
                            emailSeverity.getValue()),
                    new AlertDeliveryUpdate.Webhook(webhookEnabled.getValue(), webhookUrl.getValue(), webhookSeverity.getValue()));
            show(deliveries.update(update));
            return true;
        } catch (InvalidInputException refused) {
            HasValidation field = fieldsByProperty.get(refused.field());
            if (field != null) {
                field.setErrorMessage(refused.getMessage());
                field.setInvalid(true);
            } else {
                Notices.error(refused.getMessage());
            }
            return false;
        }
    }

    private void saveAndTest(DeliveryChannel channel) {
        if (!save()) {
            return;
        }
        try {
            AlertDelivery.Outcome outcome = deliveries.sendTest(channel);
            show(deliveries.settings());
            if (outcome.delivered()) {
                Notices.success("Test delivered: " + outcome.detail());
            } else {
                Notices.error("The test was not delivered: " + outcome.detail());
            }
        } catch (InvalidInputException refused) {
            HasValidation field = fieldsByProperty.get(refused.field());
            if (field != null) {
                field.setErrorMessage(refused.getMessage());
                field.setInvalid(true);
            } else {
                Notices.error(refused.getMessage());
            }
        }
    }

    private static Select<Severity> severitySelect() {
        Select<Severity> select = new Select<>();
        select.setItems(Severity.values());
        select.setItemLabelGenerator(severity -> severity == Severity.WARNING ? "Warnings and critical events"
                : "Critical events only");
        return select;
    }

    private static Span lastOutcome() {
        Span span = new Span();
        span.addClassNames(LumoUtility.FontSize.SMALL);
        return span;
    }
}
