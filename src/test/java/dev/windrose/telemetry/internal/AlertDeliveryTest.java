package dev.windrose.telemetry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.jayway.jsonpath.JsonPath;
import com.sun.net.httpserver.HttpServer;
import dev.windrose.inventory.ApiTokens;
import dev.windrose.security.UserService;
import dev.windrose.telemetry.AlertRule;
import dev.windrose.telemetry.Severity;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.jdbc.core.simple.JdbcClient;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Alert delivery end to end through the REST API: events reach a real SMTP server (GreenMail, in this
 * JVM, signing in with a user name and password) and a real HTTP receiver on 127.0.0.1; tests are sent
 * on request; the password is never answered or audited. The fabric REST tests' context.
 */
@SpringBootTest(properties = "windrose.test-context=fabric-api")
@AutoConfigureMockMvc
@ActiveProfiles("test")
class AlertDeliveryTest {

    private static final String SMTP_USER = "alerts";
    private static final String SMTP_PASSWORD = "Smtp-Secret-4711";

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser(SMTP_USER, SMTP_PASSWORD));

    @Autowired
    MockMvc mvc;
    @Autowired
    UserService users;
    @Autowired
    AlertEvaluator evaluator;

    private String token;
    private HttpServer receiver;
    private final LinkedBlockingQueue<String> posts = new LinkedBlockingQueue<>();
    /** Each post's body → its timestamp and signature headers, as received. */
    private final Map<String, String[]> signatures = new ConcurrentHashMap<>();
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ClearSmtpPasswordSealing sealing;

    @BeforeEach
    void an_administrator_and_a_webhook_receiver() throws Exception {
        token = new ApiTokens(mvc, users).admin();
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            signatures.put(body, new String[] {exchange.getRequestHeaders().getFirst("X-Windrose-Timestamp"),
                    exchange.getRequestHeaders().getFirst("X-Windrose-Signature")});
            posts.add(body);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void delivery_is_switched_off_and_the_receiver_stopped() throws Exception {
        as(put("/api/v1/alert-delivery").contentType(MediaType.APPLICATION_JSON).content(settings(false, false, "\"\"", "WARNING")))
                .andExpect(status().isOk());
        receiver.stop(0);
    }

    @Test
    void a_raised_and_a_cleared_event_are_mailed_and_posted_to_the_webhook() throws Exception {
        as(put("/api/v1/alert-delivery").contentType(MediaType.APPLICATION_JSON)
                .content(settings(true, true, "\"" + SMTP_PASSWORD + "\"", "WARNING")))
                .andExpect(status().isOk());
        String key = "host:delivery-test";

        evaluator.apply(AlertRule.HOST_HEARTBEAT, List.of(new AlertEvaluator.Condition(key, "delivery-host",
                Severity.CRITICAL, "delivery-host stopped sending heartbeats 20 s ago.")));

        MimeMessage raised = mailAbout("delivery-host", "raised");
        assertThat(raised.getSubject()).isEqualTo(
                "[Windrose] CRITICAL raised: delivery-host – delivery-host stopped sending heartbeats 20 s ago.");
        assertThat(Arrays.toString(raised.getAllRecipients())).isEqualTo("[oncall@example.com, storage@example.com]");
        assertThat(raised.getFrom()[0].toString()).isEqualTo("windrose@example.com");
        assertThat(raised.getContentType()).startsWith("multipart/");
        assertThat(part(raised, "text/plain")).contains("Rule:       HOST_HEARTBEAT", "(" + key + ")");
        assertThat(part(raised, "text/html")).contains("<!DOCTYPE html>", "CRITICAL raised</span> on <strong>delivery-host</strong>",
                "delivery-host stopped sending heartbeats 20 s ago.", "<td>HOST_HEARTBEAT</td>", "<td>OPEN</td>");
        String posted = postAbout(key);
        assertThat(JsonPath.<String>read(posted, "$.kind")).isEqualTo("RAISED");
        assertThat(JsonPath.<String>read(posted, "$.event.severity")).isEqualTo("CRITICAL");
        assertThat(JsonPath.<String>read(posted, "$.event.objectName")).isEqualTo("delivery-host");
        assertThat(JsonPath.<String>read(posted, "$.event.state")).isEqualTo("OPEN");

        evaluator.apply(AlertRule.HOST_HEARTBEAT, List.of());

        assertThat(mailAbout("delivery-host", "cleared").getSubject()).startsWith("[Windrose] CRITICAL cleared: delivery-host");
        assertThat(JsonPath.<String>read(postAbout(key), "$.kind")).isEqualTo("CLEARED");
        as(get("/api/v1/alert-delivery"))
                .andExpect(jsonPath("$.email.last.delivered").value(true))
                .andExpect(jsonPath("$.webhook.last.delivered").value(true));
    }

    @Test
    void a_channel_for_critical_events_only_does_not_carry_a_warning() throws Exception {
        as(put("/api/v1/alert-delivery").contentType(MediaType.APPLICATION_JSON)
                .content(settings(false, true, "null", "CRITICAL"))).andExpect(status().isOk());

        evaluator.apply(AlertRule.HOST_HEARTBEAT, List.of(new AlertEvaluator.Condition("host:warning-only", "warning-host",
                Severity.WARNING, "warning-host is late.")));
        evaluator.apply(AlertRule.HOST_HEARTBEAT, List.of(new AlertEvaluator.Condition("host:critical-one", "critical-host",
                Severity.CRITICAL, "critical-host stopped.")));

        String posted = postAbout("host:critical-one");
        assertThat(JsonPath.<String>read(posted, "$.event.severity")).isEqualTo("CRITICAL");
        evaluator.apply(AlertRule.HOST_HEARTBEAT, List.of());
        posts.poll(1, TimeUnit.SECONDS);
        assertThat(posts).noneMatch(body -> body.contains("host:warning-only"));
    }

    @Test
    void the_smtp_password_is_never_answered_nor_audited_and_an_empty_one_keeps_it() throws Exception {
        String answer = as(put("/api/v1/alert-delivery").contentType(MediaType.APPLICATION_JSON)
                .content(settings(true, false, "\"" + SMTP_PASSWORD + "\"", "WARNING")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.email.passwordSet").value(true))
                .andReturn().getResponse().getContentAsString();
        String read = as(get("/api/v1/alert-delivery")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        as(put("/api/v1/alert-delivery").contentType(MediaType.APPLICATION_JSON)
                .content(settings(true, false, "null", "WARNING")))
                .andExpect(jsonPath("$.email.passwordSet").value(true));

        // the stored password still signs in: the test mail arrives
        as(post("/api/v1/alert-delivery/email/test")).andExpect(status().isOk())
                .andExpect(jsonPath("$.delivered").value(true));
        assertThat(mailAbout("Test message", "").getSubject()).isEqualTo("[Windrose] Test message");

        assertThat(answer).doesNotContain(SMTP_PASSWORD);
        assertThat(read).doesNotContain(SMTP_PASSWORD).doesNotContain("\"password\"");
        String audit = as(get("/api/v1/audit").param("size", "20")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(audit).contains("ALERT_DELIVERY_CHANGED", "password replaced", "ALERT_DELIVERY_TESTED",
                "delivered: sent to oncall@example.com, storage@example.com").doesNotContain(SMTP_PASSWORD);
    }

    @Test
    void with_a_signing_secret_each_post_carries_a_signature_the_receiver_checks_with_the_secret_shown_once()
            throws Exception {
        as(put("/api/v1/alert-delivery").contentType(MediaType.APPLICATION_JSON)
                .content(settings(false, true, "null", "WARNING"))).andExpect(status().isOk());
        String created = as(post("/api/v1/alert-delivery/webhook/secret")).andExpect(status().isOk())
                .andExpect(jsonPath("$.createdAt").isNotEmpty())
                .andReturn().getResponse().getContentAsString();
        String secret = JsonPath.read(created, "$.secret");

        evaluator.apply(AlertRule.HOST_HEARTBEAT, List.of(new AlertEvaluator.Condition("host:signed", "signed-host",
                Severity.CRITICAL, "signed-host stopped.")));

        String posted = postAbout("host:signed");
        String[] received = signatures.get(posted);
        assertThat(Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(received[0]))).isLessThan(60);
        assertThat(received[1]).isEqualTo("sha256=" + hmacSha256(secret, received[0] + "." + posted));
        evaluator.apply(AlertRule.HOST_HEARTBEAT, List.of());
        postAbout("host:signed");

        String read = as(get("/api/v1/alert-delivery")).andExpect(status().isOk())
                .andExpect(jsonPath("$.webhook.secretCreatedAt").isNotEmpty())
                .andReturn().getResponse().getContentAsString();
        String audit = as(get("/api/v1/audit").param("size", "20")).andReturn().getResponse().getContentAsString();
        assertThat(read).doesNotContain(secret);
        assertThat(audit).contains("signing secret created").doesNotContain(secret);
        assertThat(jdbc.sql("SELECT webhook_secret FROM alert_delivery").query(String.class).single())
                .startsWith("sb1:").doesNotContain(secret);

        String replaced = JsonPath.read(as(post("/api/v1/alert-delivery/webhook/secret")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(), "$.secret");
        as(post("/api/v1/alert-delivery/webhook/test")).andExpect(jsonPath("$.delivered").value(true));
        String test = postAbout("TEST");
        String[] testSignature = signatures.get(test);
        assertThat(replaced).isNotEqualTo(secret);
        assertThat(testSignature[1]).isEqualTo("sha256=" + hmacSha256(replaced, testSignature[0] + "." + test))
                .isNotEqualTo("sha256=" + hmacSha256(secret, testSignature[0] + "." + test));
        jdbc.sql("UPDATE alert_delivery SET webhook_secret = NULL, webhook_secret_created_at = NULL").update();
    }

    @Test
    void the_smtp_password_is_stored_sealed_and_one_left_in_clear_by_an_older_version_is_sealed_at_start()
            throws Exception {
        as(put("/api/v1/alert-delivery").contentType(MediaType.APPLICATION_JSON)
                .content(settings(true, false, "\"" + SMTP_PASSWORD + "\"", "WARNING"))).andExpect(status().isOk());
        assertThat(storedPassword()).startsWith("sb1:").doesNotContain(SMTP_PASSWORD);

        jdbc.sql("UPDATE alert_delivery SET smtp_password = ?").param(SMTP_PASSWORD).update();
        as(post("/api/v1/alert-delivery/email/test")).andExpect(jsonPath("$.delivered").value(true));
        sealing.sealAtStart();

        assertThat(storedPassword()).startsWith("sb1:").doesNotContain(SMTP_PASSWORD);
        SMTP.purgeEmailFromAllMailboxes();
        as(post("/api/v1/alert-delivery/email/test")).andExpect(status().isOk())
                .andExpect(jsonPath("$.delivered").value(true));
        assertThat(mailAbout("Test message", "").getSubject()).isEqualTo("[Windrose] Test message");
    }

    @Test
    void a_password_sealed_with_another_key_fails_the_test_and_says_to_enter_it_again() throws Exception {
        as(put("/api/v1/alert-delivery").contentType(MediaType.APPLICATION_JSON)
                .content(settings(true, false, "\"" + SMTP_PASSWORD + "\"", "WARNING"))).andExpect(status().isOk());
        String otherNodes = new dev.windrose.common.SecretBox(java.nio.file.Files.createTempDirectory("other-node")
                .resolve("secret.key")).seal("alert_delivery.smtp_password", SMTP_PASSWORD);
        jdbc.sql("UPDATE alert_delivery SET smtp_password = ?").param(otherNodes).update();

        as(post("/api/v1/alert-delivery/email/test")).andExpect(status().isOk())
                .andExpect(jsonPath("$.delivered").value(false))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("sealed with another key")));
    }

    @Test
    void an_events_html_mail_escapes_what_hosts_and_users_named() throws Exception {
        as(put("/api/v1/alert-delivery").contentType(MediaType.APPLICATION_JSON)
                .content(settings(true, false, "\"" + SMTP_PASSWORD + "\"", "WARNING"))).andExpect(status().isOk());

        evaluator.apply(AlertRule.HOST_HEARTBEAT, List.of(new AlertEvaluator.Condition("host:markup", "markup<b>host</b>",
                Severity.WARNING, "markup<b>host</b> is late & <script>alert(1)</script>.")));

        String html = part(mailAbout("markup<b>host</b>", "raised"), "text/html");
        assertThat(html).contains("<strong>markup&lt;b&gt;host&lt;/b&gt;</strong>",
                "is late &amp; &lt;script&gt;alert(1)&lt;/script&gt;.").doesNotContain("<script>", "<b>host");
        evaluator.apply(AlertRule.HOST_HEARTBEAT, List.of());
        mailAbout("markup<b>host</b>", "cleared");
    }

    /** The decoded content of the message's first part of this type, however deep the multipart nests it. */
    private static String part(jakarta.mail.Part part, String type) throws Exception {
        if (part.isMimeType(type)) {
            return (String) part.getContent();
        }
        if (part.getContent() instanceof jakarta.mail.Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                try {
                    return part(multipart.getBodyPart(i), type);
                } catch (AssertionError notThere) {
                    // the next part, then
                }
            }
        }
        throw new AssertionError("no " + type + " part");
    }

    private String storedPassword() {
        return jdbc.sql("SELECT smtp_password FROM alert_delivery").query(String.class).single();
    }

    private static String hmacSha256(String secret, String signed) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void a_wrong_password_makes_the_test_fail_with_the_servers_answer() throws Exception {
        as(put("/api/v1/alert-delivery").contentType(MediaType.APPLICATION_JSON)
                .content(settings(true, false, "\"not-the-password\"", "WARNING"))).andExpect(status().isOk());

        as(post("/api/v1/alert-delivery/email/test")).andExpect(status().isOk())
                .andExpect(jsonPath("$.delivered").value(false))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("refused or failed")));
    }

    @Test
    void a_malformed_recipient_and_a_webhook_that_is_no_http_url_are_refused_at_their_field() throws Exception {
        String bad = settings(true, false, "null", "WARNING").replace("storage@example.com", "storage at example");
        as(put("/api/v1/alert-delivery").contentType(MediaType.APPLICATION_JSON).content(bad))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("email.to"));
        String ftp = settings(false, true, "null", "WARNING").replaceAll("http://127\\.0\\.0\\.1:\\d+/hook", "ftp://example.com/x");
        as(put("/api/v1/alert-delivery").contentType(MediaType.APPLICATION_JSON).content(ftp))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("webhook.url"));
    }

    private String settings(boolean email, boolean webhook, String passwordJson, String minimum) {
        return """
                {"email": {"enabled": %s, "smtpHost": "127.0.0.1", "smtpPort": %d, "startTls": false,
                           "username": "%s", "password": %s, "from": "windrose@example.com",
                           "to": ["oncall@example.com", "storage@example.com"], "minimumSeverity": "%s"},
                 "webhook": {"enabled": %s, "url": "http://127.0.0.1:%d/hook", "minimumSeverity": "%s"}}"""
                .formatted(email, SMTP.getSmtp().getPort(), SMTP_USER, passwordJson, minimum, webhook,
                        receiver.getAddress().getPort(), minimum);
    }

    /** The first mail (within 10 s) whose subject names both words; others (other tests' events) are skipped. */
    private MimeMessage mailAbout(String name, String word) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            for (MimeMessage message : SMTP.getReceivedMessages()) {
                if (message.getSubject().contains(name) && message.getSubject().contains(word)) {
                    SMTP.purgeEmailFromAllMailboxes();
                    return message;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no mail about " + name + " " + word + " within 10 s; got "
                + Arrays.stream(SMTP.getReceivedMessages()).map(GreenMailUtil::getHeaders).toList());
    }

    private String postAbout(String key) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String body;
        while ((body = posts.poll(until - System.nanoTime(), TimeUnit.NANOSECONDS)) != null) {
            if (body.contains("\"" + key + "\"")) {
                return body;
            }
        }
        throw new AssertionError("no webhook post about " + key + " within 10 s");
    }

    private ResultActions as(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token));
    }

}
