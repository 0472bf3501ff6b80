package dev.windrose.telemetry;

/**
 * Sends events to people and systems outside the console: an e-mail per event (raised, escalated,
 * cleared) at or above a channel's minimum severity, and a JSON POST to a webhook. Acknowledgements are
 * not sent: a person made them in the console. Webhook posts are signed once a secret is created. Administrators only; every change and test is audited.
 */
public interface AlertDeliveryService {

    /** The settings, without the SMTP password. */
    AlertDelivery settings();

    /** Validates (the problem names the field, e.g. {@code email.to}), stores and audits. */
    AlertDelivery update(AlertDeliveryUpdate update);

    /**
     * Creates the webhook's signing secret, replacing any before (posts are signed with the new one from
     * now on), and answers it: the only time it is shown. Audited, without the secret.
     */
    AlertDelivery.WebhookSecret createWebhookSecret();

    /**
     * Sends a test message through a channel as it is stored now (enabled or not), waits for the
     * outcome, keeps it as the channel's last outcome and audits it.
     */
    AlertDelivery.Outcome sendTest(DeliveryChannel channel);
}
