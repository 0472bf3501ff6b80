package dev.windrose.telemetry;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where events go besides the console, as an administrator reads it back. The SMTP password and the
 * webhook's signing secret are never in it: {@link Email#passwordSet()} and
 * {@link Webhook#secretCreatedAt()} tell only whether one is stored.
 */
public record AlertDelivery(Email email, Webhook webhook) {

    /**
     * E-mail through an SMTP server.
     *
     * @param startTls        upgrade the connection with STARTTLS and refuse to send without it
     * @param minimumSeverity events below it are not sent (WARNING: all; CRITICAL: only critical ones)
     * @param last            the outcome of the last delivery or test, if any
     */
    public record Email(boolean enabled, String smtpHost, int smtpPort, boolean startTls, @Nullable String username,
            boolean passwordSet, String from, List<String> to, Severity minimumSeverity, @Nullable Outcome last) {
    }

    /**
     * A JSON POST to an HTTP(S) URL, retried a few times with a growing pause when it fails.
     *
     * @param secretCreatedAt when the signing secret was created; null while there is none and posts go
     *     unsigned (the secret itself is shown once, when it is created, and never again)
     */
    public record Webhook(boolean enabled, String url, Severity minimumSeverity, @Nullable Instant secretCreatedAt,
            @Nullable Outcome last) {
    }

    /** A webhook's new signing secret, as its creator sees it once. */
    public record WebhookSecret(String secret, Instant createdAt) {
    }

    /** What happened the last time a channel was used: when, whether it arrived, and the detail. */
    public record Outcome(Instant at, boolean delivered, String detail) {
    }
}
