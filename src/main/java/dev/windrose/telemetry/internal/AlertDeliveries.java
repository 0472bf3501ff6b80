package dev.windrose.telemetry.internal;

import dev.windrose.common.InvalidInputException;
import dev.windrose.security.AuditAction;
import dev.windrose.security.AuditLog;
import dev.windrose.security.Role;
import dev.windrose.telemetry.AlertDelivery;
import dev.windrose.telemetry.AlertDeliveryService;
import dev.windrose.telemetry.AlertDeliveryUpdate;
import dev.windrose.telemetry.DeliveryChannel;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** {@link AlertDeliveryService}: settings validated and audited (never with the password), tests sent at once. */
@Service
class AlertDeliveries implements AlertDeliveryService {

    private final AlertDeliveryStore store;
    private final AlertDispatcher dispatcher;
    private final AuditLog auditLog;
    private final Clock clock;

    AlertDeliveries(AlertDeliveryStore store, AlertDispatcher dispatcher, AuditLog auditLog, Clock clock) {
        this.store = store;
        this.dispatcher = dispatcher;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    @Override
    @Transactional(readOnly = true)
    @PreAuthorize(Role.Expressions.ADMIN)
    public AlertDelivery settings() {
        return store.load().withoutSecrets();
    }

    @Override
    @Transactional
    @PreAuthorize(Role.Expressions.ADMIN)
    public AlertDelivery update(AlertDeliveryUpdate update) {
        validate(update);
        AlertDelivery before = store.load().withoutSecrets();
        store.save(update, actor(), clock.instant());
        AlertDelivery after = store.load().withoutSecrets();
        String password = update.email().password();
        String passwordChange = password == null ? "password unchanged" : password.isEmpty() ? "password removed"
                : "password replaced";
        auditLog.record(AuditAction.ALERT_DELIVERY_CHANGED, "alert delivery",
                describe(before) + " -> " + describe(after) + "; " + passwordChange);
        return after;
    }

    @Override
    @Transactional
    @PreAuthorize(Role.Expressions.ADMIN)
    public AlertDelivery.WebhookSecret createWebhookSecret() {
        boolean replacing = store.load().webhook().secretCreatedAt() != null;
        String secret = WebhookSignature.newSecret();
        AlertDelivery.WebhookSecret created = new AlertDelivery.WebhookSecret(secret, clock.instant());
        store.saveWebhookSecret(secret, actor(), created.createdAt());
        auditLog.record(AuditAction.ALERT_DELIVERY_CHANGED, "alert webhook",
                replacing ? "signing secret replaced" : "signing secret created");
        return created;
    }

    @Override
    @PreAuthorize(Role.Expressions.ADMIN)
    public AlertDelivery.Outcome sendTest(DeliveryChannel channel) {
        AlertDelivery settings = store.load().withoutSecrets();
        if (channel == DeliveryChannel.EMAIL && (settings.email().smtpHost().isBlank() || settings.email().to().isEmpty()
                || settings.email().from().isBlank())) {
            throw new InvalidInputException("email", "Save an SMTP server, a sender and at least one recipient first.");
        }
        if (channel == DeliveryChannel.WEBHOOK && settings.webhook().url().isBlank()) {
            throw new InvalidInputException("webhook.url", "Save the webhook's URL first.");
        }
        AlertDelivery.Outcome outcome = dispatcher.test(channel, actor());
        auditLog.record(AuditAction.ALERT_DELIVERY_TESTED, channel == DeliveryChannel.EMAIL ? "alert e-mail" : "alert webhook",
                (outcome.delivered() ? "delivered: " : "failed: ") + outcome.detail());
        return outcome;
    }

    static void validate(AlertDeliveryUpdate update) {
        AlertDeliveryUpdate.Email email = update.email();
        AlertDeliveryUpdate.Webhook webhook = update.webhook();
        if (email == null || webhook == null) {
            throw new InvalidInputException(email == null ? "email" : "webhook", "Give both the e-mail and the webhook settings.");
        }
        if (email.smtpHost() == null || email.from() == null || email.to() == null || email.minimumSeverity() == null) {
            throw new InvalidInputException("email", "Give smtpHost, from, to and minimumSeverity (empty strings and an empty list are fine while e-mail is off).");
        }
        if (webhook.url() == null || webhook.minimumSeverity() == null) {
            throw new InvalidInputException("webhook", "Give url and minimumSeverity (an empty url is fine while the webhook is off).");
        }
        if (email.smtpPort() < 1 || email.smtpPort() > 65_535) {
            throw new InvalidInputException("email.smtpPort", "The SMTP port is 1 to 65535, not " + email.smtpPort() + ".");
        }
        if (email.enabled() || !email.smtpHost().isBlank()) {
            if (email.smtpHost().isBlank() || email.smtpHost().strip().contains(" ") || email.smtpHost().length() > 255) {
                throw new InvalidInputException("email.smtpHost", "Enter the SMTP server's host name or address.");
            }
        }
        if (email.enabled() || !email.from().isBlank()) {
            address("email.from", email.from(), "The sender");
        }
        if (email.enabled() && email.to().isEmpty()) {
            throw new InvalidInputException("email.to", "Enter at least one recipient.");
        }
        for (String to : email.to()) {
            address("email.to", to, "The recipient");
        }
        if (String.join(",", email.to()).length() > 1000) {
            throw new InvalidInputException("email.to", "The recipients take more than 1000 characters: use a list address.");
        }
        if (email.username() != null && email.username().length() > 255
                || email.password() != null && email.password().length() > 255) {
            throw new InvalidInputException("email.username", "The user name and the password are at most 255 characters each.");
        }
        if (webhook.enabled() || !webhook.url().isBlank()) {
            url(webhook.url().strip());
        }
    }

    private static void address(String field, @Nullable String text, String what) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException(field, what + " is an e-mail address, e.g. storage@example.com.");
        }
        try {
            InternetAddress address = new InternetAddress(text.strip(), true);
            if (address.getPersonal() != null || !address.getAddress().contains("@") || text.strip().length() > 255) {
                throw new AddressException("not a bare address");
            }
        } catch (AddressException e) {
            throw new InvalidInputException(field, what + " '" + text.strip() + "' is not an e-mail address (e.g. storage@example.com).");
        }
    }

    private static void url(String text) {
        try {
            URI uri = new URI(text);
            if (uri.getScheme() == null || !List.of("http", "https").contains(uri.getScheme().toLowerCase(java.util.Locale.ROOT))
                    || uri.getHost() == null || text.length() > 1000) {
                throw new URISyntaxException(text, "not an absolute http(s) URL");
            }
        } catch (URISyntaxException e) {
            throw new InvalidInputException("webhook.url",
                    "The webhook is an http:// or https:// URL with a host, e.g. https://hooks.example.com/windrose; not '" + text + "'.");
        }
    }

    /** The settings in words for the audit log: never the password, only whether one is stored. */
    private static String describe(AlertDelivery delivery) {
        AlertDelivery.Email email = delivery.email();
        AlertDelivery.Webhook webhook = delivery.webhook();
        return "e-mail " + (email.enabled() ? "on" : "off") + " (" + email.smtpHost() + ":" + email.smtpPort()
                + (email.startTls() ? " STARTTLS" : " plain") + (email.username() == null ? "" : ", user " + email.username())
                + (email.passwordSet() ? ", password stored" : "") + ", from " + email.from() + " to " + email.to()
                + ", " + email.minimumSeverity() + " and above), webhook " + (webhook.enabled() ? "on" : "off") + " ("
                + webhook.url() + ", " + webhook.minimumSeverity() + " and above"
                + (webhook.secretCreatedAt() == null ? ", unsigned" : ", signed") + ")";
    }

    private static String actor() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null ? AuditLog.SYSTEM_ACTOR : authentication.getName();
    }
}
