package dev.windrose.telemetry.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code windrose.alert-delivery.*}: how hard alert delivery tries. What is delivered where is set by an
 * administrator in the console or the API, not here.
 *
 * @param webhookTimeout   each webhook attempt (connect and answer) is abandoned after this
 * @param webhookAttempts  attempts per message, the first included
 * @param webhookFirstPause the pause before the second attempt; it doubles before each further one
 * @param smtpTimeout      connecting to, reading from and writing to the SMTP server, each
 * @param queueLength      messages waiting to be sent; beyond it new ones are dropped (and logged)
 */
@ConfigurationProperties("windrose.alert-delivery")
record AlertDeliveryProperties(@DefaultValue("PT5S") Duration webhookTimeout, @DefaultValue("3") int webhookAttempts,
        @DefaultValue("PT1S") Duration webhookFirstPause, @DefaultValue("PT10S") Duration smtpTimeout,
        @DefaultValue("100") int queueLength) {

    AlertDeliveryProperties {
        if (webhookAttempts < 1 || webhookAttempts > 10) {
            throw new IllegalArgumentException("windrose.alert-delivery.webhook-attempts is 1 to 10, not " + webhookAttempts);
        }
        if (queueLength < 1) {
            throw new IllegalArgumentException("windrose.alert-delivery.queue-length is at least 1, not " + queueLength);
        }
    }
}
