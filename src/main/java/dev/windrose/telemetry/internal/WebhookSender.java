package dev.windrose.telemetry.internal;

import dev.windrose.telemetry.AlertDelivery;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Posts a JSON document to a webhook: each attempt bounded by a timeout, a failed attempt (no answer,
 * a refused connection, 408, 429 or 5xx) retried after a pause that doubles, up to a number of attempts.
 * Any other answer is final: a 4xx will not get better by asking again, and redirects are not followed
 * (a hook that moved should be configured where it is). With a secret, each attempt is signed afresh
 * (see {@link WebhookSignature}): a retry carries its own timestamp, and the same delivery id as the first.
 */
final class WebhookSender {

    private final HttpClient http;
    private final Duration timeout;
    private final int attempts;
    private final Duration firstPause;
    private final Clock clock;

    WebhookSender(Duration timeout, int attempts, Duration firstPause, Clock clock) {
        if (attempts < 1) {
            throw new IllegalArgumentException("at least one attempt, not " + attempts);
        }
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.timeout = timeout;
        this.attempts = attempts;
        this.firstPause = firstPause;
        this.clock = clock;
    }

    /** Posts {@code json}, signed when {@code secret} is not null. */
    AlertDelivery.Outcome post(String url, byte[] json, @Nullable String secret) {
        String delivery = UUID.randomUUID().toString();
        String failure = "not tried";
        Duration pause = firstPause;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                HttpResponse<Void> response = http.send(request(url, json, secret, delivery),
                        HttpResponse.BodyHandlers.discarding());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return new AlertDelivery.Outcome(clock.instant(), true, "HTTP " + status + tries(attempt));
                }
                failure = "HTTP " + status;
                if (!worthRetrying(status)) {
                    return new AlertDelivery.Outcome(clock.instant(), false, failure + tries(attempt)
                            + " (not retried: the receiver refused the message)");
                }
            } catch (HttpTimeoutException timedOut) {
                failure = "no answer within " + timeout.toMillis() + " ms";
            } catch (ConnectException refused) {
                failure = "could not connect (" + (refused.getMessage() == null ? "connection refused" : refused.getMessage()) + ")";
            } catch (IOException e) {
                failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new AlertDelivery.Outcome(clock.instant(), false, "interrupted" + tries(attempt));
            }
            if (attempt < attempts && !sleep(pause)) {
                return new AlertDelivery.Outcome(clock.instant(), false, failure + ", interrupted" + tries(attempt));
            }
            pause = pause.multipliedBy(2);
        }
        return new AlertDelivery.Outcome(clock.instant(), false, failure + tries(attempts));
    }

    private HttpRequest request(String url, byte[] json, @Nullable String secret, String delivery) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "Windrose alert delivery")
                .header(WebhookSignature.DELIVERY_HEADER, delivery);
        if (secret != null) {
            long now = clock.instant().getEpochSecond();
            request.header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(now))
                    .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(secret, now, json));
        }
        return request.POST(HttpRequest.BodyPublishers.ofByteArray(json)).build();
    }

    private static boolean worthRetrying(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    private static String tries(int attempts) {
        return attempts == 1 ? " (1 attempt)" : " (" + attempts + " attempts)";
    }

    private static boolean sleep(Duration pause) {
        try {
            Thread.sleep(pause);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
