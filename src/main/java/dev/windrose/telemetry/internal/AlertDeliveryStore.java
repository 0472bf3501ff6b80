package dev.windrose.telemetry.internal;

import dev.windrose.common.SecretBox;
import dev.windrose.telemetry.AlertDelivery;
import dev.windrose.telemetry.AlertDeliveryUpdate;
import dev.windrose.telemetry.DeliveryChannel;
import dev.windrose.telemetry.Severity;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The one row of {@code alert_delivery}; the only place the SMTP password and the webhook's signing secret
 * are read and written. Both are sealed by the {@link SecretBox} (the key is not in the database) and
 * opened only for the sender.
 */
@Repository
class AlertDeliveryStore {

    static final String SMTP_PASSWORD = "alert_delivery.smtp_password";
    static final String WEBHOOK_SECRET = "alert_delivery.webhook_secret";

    /** The settings as stored, with the sealed secrets: for the senders, never for a caller. */
    record Stored(AlertDelivery.Email email, @Nullable String sealedSmtpPassword, AlertDelivery.Webhook webhook,
            @Nullable String sealedWebhookSecret) {

        AlertDelivery withoutSecrets() {
            return new AlertDelivery(email, webhook);
        }
    }

    private final JdbcClient jdbc;
    private final SecretBox secrets;

    AlertDeliveryStore(JdbcClient jdbc, SecretBox secrets) {
        this.jdbc = jdbc;
        this.secrets = secrets;
    }

    Stored load() {
        return jdbc.sql("SELECT * FROM alert_delivery WHERE id = 1").query((rs, row) -> new Stored(
                new AlertDelivery.Email(rs.getBoolean("email_enabled"), rs.getString("smtp_host"), rs.getInt("smtp_port"),
                        rs.getBoolean("smtp_starttls"), rs.getString("smtp_username"), rs.getString("smtp_password") != null,
                        rs.getString("email_from"), addresses(rs.getString("email_to")),
                        Severity.valueOf(rs.getString("email_min_severity")), outcome(rs, "email")),
                rs.getString("smtp_password"),
                new AlertDelivery.Webhook(rs.getBoolean("webhook_enabled"), rs.getString("webhook_url"),
                        Severity.valueOf(rs.getString("webhook_min_severity")),
                        instant(rs.getObject("webhook_secret_created_at", OffsetDateTime.class)), outcome(rs, "webhook")),
                rs.getString("webhook_secret")))
                .single();
    }

    /**
     * The SMTP password in clear, for the mailer; one stored in clear before sealing (until the start-up
     * seals it) as it is.
     *
     * @throws SecretBox.UnreadableSecretException if it was sealed with another node's key
     */
    @Nullable String smtpPassword(Stored stored) {
        String sealed = stored.sealedSmtpPassword();
        return sealed == null || !SecretBox.isSealed(sealed) ? sealed : secrets.open(SMTP_PASSWORD, sealed);
    }

    /**
     * The webhook's signing secret in clear, for the sender; null while there is none.
     *
     * @throws SecretBox.UnreadableSecretException if it was sealed with another node's key
     */
    @Nullable String webhookSecret(Stored stored) {
        return stored.sealedWebhookSecret() == null ? null : secrets.open(WEBHOOK_SECRET, stored.sealedWebhookSecret());
    }

    /** Replaces the webhook's signing secret. */
    void saveWebhookSecret(String secret, String by, Instant at) {
        jdbc.sql("UPDATE alert_delivery SET webhook_secret = ?, webhook_secret_created_at = ?, updated_at = ?, "
                + "updated_by = ? WHERE id = 1")
                .params(secrets.seal(WEBHOOK_SECRET, secret), utc(at), utc(at), by).update();
    }

    /**
     * Seals an SMTP password stored in clear by a version before sealing; returns whether there was one.
     * The update names the clear value, so a password changed meanwhile (by another node) is left alone.
     */
    boolean sealClearSmtpPassword() {
        String stored = jdbc.sql("SELECT smtp_password FROM alert_delivery WHERE id = 1").query(String.class).optional()
                .orElse(null);
        if (stored == null || SecretBox.isSealed(stored)) {
            return false;
        }
        return jdbc.sql("UPDATE alert_delivery SET smtp_password = ? WHERE id = 1 AND smtp_password = ?")
                .params(secrets.seal(SMTP_PASSWORD, stored), stored).update() == 1;
    }

    /** Stores an update; a null password keeps the stored one, an empty one removes it. */
    void save(AlertDeliveryUpdate update, String by, Instant at) {
        AlertDeliveryUpdate.Email email = update.email();
        AlertDeliveryUpdate.Webhook webhook = update.webhook();
        String password = email.password();
        String passwordSql = password == null ? "smtp_password" : "?";
        List<Object> params = new java.util.ArrayList<>(List.of(email.enabled(), email.smtpHost().strip(), email.smtpPort(),
                email.startTls()));
        params.add(blankToNull(email.username()));
        if (password != null) {
            params.add(password.isEmpty() ? null : secrets.seal(SMTP_PASSWORD, password));
        }
        params.addAll(List.of(email.from().strip(), String.join(",", email.to()), email.minimumSeverity().name(),
                webhook.enabled(), webhook.url().strip(), webhook.minimumSeverity().name(), utc(at), by));
        jdbc.sql("UPDATE alert_delivery SET email_enabled = ?, smtp_host = ?, smtp_port = ?, smtp_starttls = ?, "
                + "smtp_username = ?, smtp_password = " + passwordSql + ", email_from = ?, email_to = ?, "
                + "email_min_severity = ?, webhook_enabled = ?, webhook_url = ?, webhook_min_severity = ?, "
                + "updated_at = ?, updated_by = ? WHERE id = 1")
                .params(params).update();
    }

    void recordOutcome(DeliveryChannel channel, AlertDelivery.Outcome outcome) {
        String prefix = channel == DeliveryChannel.EMAIL ? "email" : "webhook";
        String detail = (outcome.delivered() ? "OK " : "FAILED ") + outcome.detail();
        jdbc.sql("UPDATE alert_delivery SET " + prefix + "_last_result = ?, " + prefix + "_last_at = ? WHERE id = 1")
                .params(cut(detail, 1000), utc(outcome.at())).update();
    }

    private static AlertDelivery.@Nullable Outcome outcome(ResultSet rs, String prefix) throws SQLException {
        String result = rs.getString(prefix + "_last_result");
        OffsetDateTime at = rs.getObject(prefix + "_last_at", OffsetDateTime.class);
        if (result == null || at == null) {
            return null;
        }
        boolean delivered = result.startsWith("OK ");
        return new AlertDelivery.Outcome(at.toInstant(), delivered, result.substring(delivered ? 3 : 7));
    }

    private static List<String> addresses(String joined) {
        return Arrays.stream(joined.split(",")).map(String::strip).filter(address -> !address.isEmpty()).toList();
    }

    private static @Nullable String blankToNull(@Nullable String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static @Nullable Instant instant(@Nullable OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
