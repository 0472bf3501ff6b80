package dev.windrose.telemetry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import dev.windrose.telemetry.AlertDelivery;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webhook sender against a real HTTP server on 127.0.0.1: retries, their bound, and the timeout. */
class WebhookSenderTest {

    private static final byte[] DOCUMENT = "{\"kind\":\"TEST\"}".getBytes(StandardCharsets.UTF_8);

    private HttpServer server;
    private final AtomicInteger calls = new AtomicInteger();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();
    private final List<Headers> headers = new CopyOnWriteArrayList<>();
    /** What the server answers to each call in turn; the last one repeats. */
    private volatile int[] answers = {200};
    private volatile long answerDelayMillis;

    @BeforeEach
    void a_receiver_listens_on_the_loopback_address() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            int call = calls.getAndIncrement();
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            headers.add(exchange.getRequestHeaders());
            try {
                Thread.sleep(answerDelayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                exchange.sendResponseHeaders(answers[Math.min(call, answers.length - 1)], -1);
            } catch (IOException gone) {
                // the client gave up waiting
            }
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void the_receiver_stops() {
        server.stop(0);
    }

    @Test
    void a_post_that_is_accepted_at_once_is_delivered_as_json_in_one_attempt() {
        AlertDelivery.Outcome outcome = sender(Duration.ofSeconds(5), 3, Duration.ofMillis(50)).post(url(), DOCUMENT, null);

        assertThat(outcome.delivered()).isTrue();
        assertThat(outcome.detail()).isEqualTo("HTTP 200 (1 attempt)");
        assertThat(bodies).containsExactly("{\"kind\":\"TEST\"}");
        assertThat(contentTypes).containsExactly("application/json");
    }

    @Test
    void a_receiver_that_fails_twice_then_accepts_gets_the_same_document_three_times() {
        answers = new int[] {503, 500, 204};

        AlertDelivery.Outcome outcome = sender(Duration.ofSeconds(5), 3, Duration.ofMillis(50)).post(url(), DOCUMENT, null);

        assertThat(outcome.delivered()).isTrue();
        assertThat(outcome.detail()).isEqualTo("HTTP 204 (3 attempts)");
        assertThat(bodies).hasSize(3).allMatch(body -> body.equals("{\"kind\":\"TEST\"}"));
    }

    @Test
    void a_receiver_that_keeps_failing_is_given_up_after_the_bounded_attempts() {
        answers = new int[] {503};

        AlertDelivery.Outcome outcome = sender(Duration.ofSeconds(5), 3, Duration.ofMillis(50)).post(url(), DOCUMENT, null);

        assertThat(outcome.delivered()).isFalse();
        assertThat(outcome.detail()).isEqualTo("HTTP 503 (3 attempts)");
        assertThat(calls).hasValue(3);
    }

    @Test
    void a_refusal_other_than_a_server_error_is_not_retried() {
        answers = new int[] {404};

        AlertDelivery.Outcome outcome = sender(Duration.ofSeconds(5), 3, Duration.ofMillis(50)).post(url(), DOCUMENT, null);

        assertThat(outcome.delivered()).isFalse();
        assertThat(outcome.detail()).startsWith("HTTP 404 (1 attempt)");
        assertThat(calls).hasValue(1);
    }

    @Test
    void a_receiver_that_does_not_answer_in_time_is_abandoned_after_each_timeout() {
        answerDelayMillis = 3_000;
        long start = System.nanoTime();

        AlertDelivery.Outcome outcome = sender(Duration.ofMillis(300), 2, Duration.ofMillis(50)).post(url(), DOCUMENT, null);

        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(outcome.delivered()).isFalse();
        assertThat(outcome.detail()).isEqualTo("no answer within 300 ms (2 attempts)");
        assertThat(tookMillis).isLessThan(2_500);
    }

    @Test
    void nobody_listening_is_a_failed_delivery_that_says_so() {
        String closed = url();
        server.stop(0);

        AlertDelivery.Outcome outcome = sender(Duration.ofSeconds(2), 2, Duration.ofMillis(10)).post(closed, DOCUMENT, null);

        assertThat(outcome.delivered()).isFalse();
        assertThat(outcome.detail()).startsWith("could not connect").endsWith("(2 attempts)");
    }

    @Test
    void a_signed_post_carries_a_signature_over_its_timestamp_and_body_that_the_receiver_can_check() throws Exception {
        String secret = WebhookSignature.newSecret();
        answers = new int[] {503, 200};

        AlertDelivery.Outcome outcome = sender(Duration.ofSeconds(5), 3, Duration.ofMillis(1100)).post(url(), DOCUMENT, secret);

        assertThat(outcome.delivered()).isTrue();
        assertThat(secret).startsWith("wrhook_").hasSize(7 + 43);
        assertThat(headers).hasSize(2);
        for (int i = 0; i < 2; i++) {
            Headers received = headers.get(i);
            String timestamp = received.getFirst("X-Windrose-Timestamp");
            assertThat(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp))).as("fresh").isLessThan(60);
            assertThat(received.getFirst("X-Windrose-Signature"))
                    .isEqualTo("sha256=" + hmacSha256(secret, timestamp + "." + bodies.get(i)));
            assertThat(received.getFirst("X-Windrose-Signature"))
                    .as("another secret gives another signature")
                    .isNotEqualTo("sha256=" + hmacSha256(secret + "x", timestamp + "." + bodies.get(i)));
        }
        assertThat(headers.get(1).getFirst("X-Windrose-Timestamp")).as("a retry is signed afresh")
                .isNotEqualTo(headers.get(0).getFirst("X-Windrose-Timestamp"));
        assertThat(headers.get(1).getFirst("X-Windrose-Delivery")).as("one delivery id for the retries")
                .isEqualTo(headers.get(0).getFirst("X-Windrose-Delivery")).isNotBlank();
    }

    @Test
    void a_post_without_a_secret_carries_no_signature() {
        AlertDelivery.Outcome outcome = sender(Duration.ofSeconds(5), 1, Duration.ofMillis(10)).post(url(), DOCUMENT, null);

        assertThat(outcome.delivered()).isTrue();
        assertThat(headers.getFirst().containsKey("X-Windrose-Signature")).isFalse();
        assertThat(headers.getFirst().containsKey("X-Windrose-Timestamp")).isFalse();
    }

    /** The receiver's own check, written from the README's description rather than with the sender's code. */
    private static String hmacSha256(String secret, String signed) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }

    private WebhookSender sender(Duration timeout, int attempts, Duration pause) {
        return new WebhookSender(timeout, attempts, pause, Clock.systemUTC());
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }
}
