package dev.windrose.telemetry;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** What an administrator sends to change alert delivery; {@link AlertDeliveryService#update} validates it. */
public record AlertDeliveryUpdate(Email email, Webhook webhook) {

    /**
     * @param password null keeps the stored password, an empty string removes it, anything else replaces it
     */
    public record Email(boolean enabled, String smtpHost, int smtpPort, boolean startTls, @Nullable String username,
            @Nullable String password, String from, List<String> to, Severity minimumSeverity) {
    }

    public record Webhook(boolean enabled, String url, Severity minimumSeverity) {
    }
}
