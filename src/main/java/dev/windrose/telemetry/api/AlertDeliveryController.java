package dev.windrose.telemetry.api;

import dev.windrose.common.InvalidInputException;
import dev.windrose.telemetry.AlertDelivery;
import dev.windrose.telemetry.AlertDeliveryService;
import dev.windrose.telemetry.AlertDeliveryUpdate;
import dev.windrose.telemetry.DeliveryChannel;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Locale;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Alert delivery", description = "Events sent by e-mail and to a webhook (administrators)")
class AlertDeliveryController {

    private final AlertDeliveryService deliveries;

    AlertDeliveryController(AlertDeliveryService deliveries) {
        this.deliveries = deliveries;
    }

    @GetMapping("/api/v1/alert-delivery")
    @Operation(summary = "Where events are delivered (admins); the SMTP password is never returned, only passwordSet")
    AlertDelivery settings() {
        return deliveries.settings();
    }

    @PutMapping("/api/v1/alert-delivery")
    @Operation(summary = "Change alert delivery (admins); email.password null keeps the stored one, \"\" removes it; audited")
    AlertDelivery update(@RequestBody AlertDeliveryUpdate update) {
        return deliveries.update(update);
    }

    @PostMapping("/api/v1/alert-delivery/webhook/secret")
    @Operation(summary = "Create the webhook's signing secret, replacing any before, and answer it: the only time it is "
            + "shown (admins); posts then carry X-Windrose-Timestamp and X-Windrose-Signature: sha256=HMAC-SHA256("
            + "secret, timestamp + \".\" + body); audited without the secret")
    AlertDelivery.WebhookSecret createWebhookSecret() {
        return deliveries.createWebhookSecret();
    }

    @PostMapping("/api/v1/alert-delivery/{channel}/test")
    @Operation(summary = "Send a test message through 'email' or 'webhook' as stored now and answer how it went (admins); audited")
    AlertDelivery.Outcome test(@PathVariable String channel) {
        DeliveryChannel parsed = switch (channel.toLowerCase(Locale.ROOT)) {
            case "email" -> DeliveryChannel.EMAIL;
            case "webhook" -> DeliveryChannel.WEBHOOK;
            default -> throw new InvalidInputException("channel", "'" + channel + "' is no delivery channel: use email or webhook.");
        };
        return deliveries.sendTest(parsed);
    }
}
