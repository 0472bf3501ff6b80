package dev.windrose.telemetry.internal;

import dev.windrose.common.SecretBox;
import dev.windrose.telemetry.AlertDelivery;
import dev.windrose.telemetry.DeliveryChannel;
import dev.windrose.telemetry.EventChange;
import dev.windrose.telemetry.EventInfo;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends event changes through the enabled channels, on one thread of its own, so a slow SMTP server or
 * webhook never holds up alert evaluation. An event's mail is text with an HTML alternative. Raised, escalated and cleared events at or above a channel's
 * minimum severity are sent; acknowledgements and message updates are not. Each channel's outcome is
 * kept as its last outcome; failures are logged too.
 */
@Component
class AlertDispatcher {

    private static final Logger log = LoggerFactory.getLogger(AlertDispatcher.class);

    private final AlertDeliveryStore store;
    private final JsonMapper json;
    private final EmailSender email;
    private final WebhookSender webhook;
    private final ThreadPoolExecutor worker;
    private final Clock clock;

    AlertDispatcher(AlertDeliveryStore store, JsonMapper json, AlertDeliveryProperties properties, Clock clock) {
        this.store = store;
        this.json = json;
        this.clock = clock;
        this.email = new EmailSender(properties.smtpTimeout(), clock);
        this.webhook = new WebhookSender(properties.webhookTimeout(), properties.webhookAttempts(),
                properties.webhookFirstPause(), clock);
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(properties.queueLength()), runnable -> {
                    Thread thread = new Thread(runnable, "alert-delivery");
                    thread.setDaemon(true);
                    return thread;
                }, (dropped, executor) -> log.warn("Alert delivery is behind ({} messages waiting): a message was dropped",
                        executor.getQueue().size()));
    }

    /** Queues a change for delivery; returns at once. */
    void deliver(EventChange change) {
        if (change.kind() == EventChange.Kind.RAISED || change.kind() == EventChange.Kind.ESCALATED
                || change.kind() == EventChange.Kind.CLEARED) {
            worker.execute(() -> send(change));
        }
    }

    /** Sends a test message through a channel now, on the caller's thread, and keeps the outcome. */
    AlertDelivery.Outcome test(DeliveryChannel channel, String sentBy) {
        AlertDeliveryStore.Stored settings = store.load();
        AlertDelivery.Outcome outcome = switch (channel) {
            case EMAIL -> mail(settings, "[Windrose] Test message",
                    "This is a test of Windrose's alert delivery, sent by " + sentBy + ".\n\n"
                            + "Events of severity " + settings.email().minimumSeverity() + " and above will arrive "
                            + "at this address when they are raised, escalated or cleared.\n", null);
            case WEBHOOK -> post(settings, testDocument(sentBy));
        };
        store.recordOutcome(channel, outcome);
        return outcome;
    }

    private void send(EventChange change) {
        try {
            AlertDeliveryStore.Stored settings = store.load();
            EventInfo event = change.event();
            AlertDelivery.Email mail = settings.email();
            if (mail.enabled() && event.severity().compareTo(mail.minimumSeverity()) >= 0) {
                keep(DeliveryChannel.EMAIL, event, mail(settings, subject(change), text(change), AlertMailHtml.of(change)));
            }
            AlertDelivery.Webhook hook = settings.webhook();
            if (hook.enabled() && event.severity().compareTo(hook.minimumSeverity()) >= 0) {
                keep(DeliveryChannel.WEBHOOK, event, post(settings, eventDocument(change)));
            }
        } catch (RuntimeException e) {
            log.warn("Delivering event {} failed", change.event().id(), e);
        }
    }

    /** Mails through the stored settings; a password this node cannot open is a failed delivery that says so. */
    private AlertDelivery.Outcome mail(AlertDeliveryStore.Stored settings, String subject, String text,
            @Nullable String html) {
        String password;
        try {
            password = store.smtpPassword(settings);
        } catch (SecretBox.UnreadableSecretException e) {
            return new AlertDelivery.Outcome(clock.instant(), false, "not sent: " + e.getMessage());
        }
        return email.send(settings.email(), password, subject, text, html);
    }

    /** Posts to the stored webhook, signed when it has a secret; a secret this node cannot open sends nothing. */
    private AlertDelivery.Outcome post(AlertDeliveryStore.Stored settings, Map<String, Object> document) {
        String secret;
        try {
            secret = store.webhookSecret(settings);
        } catch (SecretBox.UnreadableSecretException e) {
            return new AlertDelivery.Outcome(clock.instant(), false, "not sent: " + e.getMessage());
        }
        return webhook.post(settings.webhook().url(), body(document), secret);
    }

    private void keep(DeliveryChannel channel, EventInfo event, AlertDelivery.Outcome outcome) {
        if (!outcome.delivered()) {
            log.warn("Event {} was not delivered by {}: {}", event.id(), channel, outcome.detail());
        }
        store.recordOutcome(channel, outcome);
    }

    static String subject(EventChange change) {
        EventInfo event = change.event();
        return "[Windrose] " + event.severity() + " " + word(change.kind()) + ": " + event.objectName() + " – "
                + event.message();
    }

    static String text(EventChange change) {
        EventInfo event = change.event();
        StringBuilder text = new StringBuilder()
                .append(event.severity()).append(" event ").append(word(change.kind())).append(" on ")
                .append(event.objectName()).append(" (").append(event.objectKey()).append(")\n\n")
                .append(event.message()).append("\n\n")
                .append("Rule:       ").append(event.rule()).append('\n')
                .append("State:      ").append(event.state()).append('\n')
                .append("Raised at:  ").append(event.raisedAt()).append('\n')
                .append("Last seen:  ").append(event.lastSeenAt()).append('\n');
        if (event.clearedAt() != null) {
            text.append("Cleared at: ").append(event.clearedAt()).append('\n');
        }
        return text.append("Event id:   ").append(event.id().value()).append(" (Events in the console)\n")
                .append("Open events now: ").append(change.openCount()).append('\n').toString();
    }

    private static String word(EventChange.Kind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    static Map<String, Object> eventDocument(EventChange change) {
        EventInfo event = change.event();
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("kind", change.kind().name());
        document.put("openCount", change.openCount());
        Map<String, @Nullable Object> body = new LinkedHashMap<>();
        body.put("id", event.id().value());
        body.put("rule", event.rule().name());
        body.put("severity", event.severity().name());
        body.put("objectKey", event.objectKey());
        body.put("objectName", event.objectName());
        body.put("message", event.message());
        body.put("state", event.state().name());
        body.put("raisedAt", event.raisedAt().toString());
        body.put("lastSeenAt", event.lastSeenAt().toString());
        body.put("clearedAt", event.clearedAt() == null ? null : event.clearedAt().toString());
        document.put("event", body);
        return document;
    }

    private static Map<String, Object> testDocument(String sentBy) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("kind", "TEST");
        document.put("sentBy", sentBy);
        document.put("message", "This is a test of Windrose's alert delivery.");
        return document;
    }

    private byte[] body(Map<String, Object> document) {
        return json.writeValueAsBytes(document);
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
