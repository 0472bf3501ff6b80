package dev.windrose.telemetry.internal;

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

/** The one row of {@code alert_delivery}; the only place the SMTP password is read. */
@Repository
class AlertDeliveryStore {

    /** The settings as stored, with the password: for the mailer, never for a caller. */
    record Stored(AlertDelivery.Email email, @Nullable String smtpPassword, AlertDelivery.Webhook webhook) {

        AlertDelivery withoutSecrets() {
            return new AlertDelivery(email, webhook);
        }
    }

    private final JdbcClient jdbc;

    AlertDeliveryStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Stored load() {
        return jdbc.sql("SELECT * FROM alert_delivery WHERE id = 1").query((rs, row) -> new Stored(
                new AlertDelivery.Email(rs.getBoolean("email_enabled"), rs.getString("smtp_host"), rs.getInt("smtp_port"),
                        rs.getBoolean("smtp_starttls"), rs.getString("smtp_username"), rs.getString("smtp_password") != null,
                        rs.getString("email_from"), addresses(rs.getString("email_to")),
                        Severity.valueOf(rs.getString("email_min_severity")), outcome(rs, "email")),
                rs.getString("smtp_password"),
                new AlertDelivery.Webhook(rs.getBoolean("webhook_enabled"), rs.getString("webhook_url"),
                        Severity.valueOf(rs.getString("webhook_min_severity")), outcome(rs, "webhook"))))
                .single();
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
            params.add(password.isEmpty() ? null : password);
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

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
