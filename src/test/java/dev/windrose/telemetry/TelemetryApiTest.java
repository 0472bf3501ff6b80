package dev.windrose.telemetry;

import static dev.windrose.support.TestValues.body;
import static dev.windrose.support.TestValues.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.windrose.inventory.ApiTokens;
import dev.windrose.security.Role;
import dev.windrose.security.UserService;
import dev.windrose.support.NvmeTcpHost;
import dev.windrose.telemetry.internal.AlertsNow;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Telemetry end to end inside one application: a RAM namespace exported on loopback, real NVMe/TCP
 * reads and writes from {@link NvmeTcpHost}, and what the sampler makes of them in the REST API,
 * the SSE stream (read by a real HTTP client with a bearer token), the history, the events and the
 * Prometheus text. History steps are shortened to 2 s / 4 s so the test does not wait minutes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "windrose.test-context=telemetry-api", "windrose.telemetry.sample-interval=PT0.5S",
        "windrose.telemetry.fine-step=PT2S", "windrose.telemetry.coarse-step=PT4S",
        "windrose.telemetry.alert-interval=PT1S"})
@AutoConfigureMockMvc
@ActiveProfiles("test")
class TelemetryApiTest {

    static final Duration PATIENCE = Duration.ofSeconds(20);

    @Autowired
    MockMvc mvc;
    @Autowired
    UserService users;
    @Autowired
    ApplicationContext context;
    @Autowired
    dev.windrose.inventory.HostService hosts;
    @LocalServerPort
    int httpPort;

    ApiTokens tokens;
    String admin;

    @BeforeEach
    void signIn() throws Exception {
        tokens = new ApiTokens(mvc, users);
        admin = tokens.admin();
    }

    @Test
    void real_io_shows_in_the_current_sample_and_as_exact_prometheus_counters() throws Exception {
        Exported exported = export();
        try (NvmeTcpHost.Connection host = NvmeTcpHost.connect("127.0.0.1", exported.port(), exported.nqn())) {
            byte[] block = new byte[4096];
            block[0] = 42;
            for (int i = 0; i < 50; i++) {
                host.write(1, i * 8L, block);
            }
            for (int i = 0; i < 30; i++) {
                assertThat(host.read(1, i * 8L, 4096)[0]).isEqualTo((byte) 42);
            }
        }

        // Every series names the node that exports it (a cluster's Prometheus scrapes every node).
        String node = hosts.local().name();
        String series = "{direction=\"read\",node=\"" + node + "\",nsid=\"1\",subsystem=\"" + exported.nqn() + "\"}";
        String text = eventually(() -> {
            // With a token: an anonymous scrape sees totals without NQNs (WebHardeningTest).
            String body = mvc.perform(get("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin))
                    .andExpect(status().isOk())
                    .andReturn().getResponse().getContentAsString();
            return body.contains("windrose_namespace_ops_total" + series + " 30") ? body : null;
        });
        assertThat(parsePrometheusText(text)).containsEntry("windrose_namespace_ops_total" + series, 30.0)
                .containsEntry("windrose_namespace_bytes_total{direction=\"write\",node=\"" + node + "\",nsid=\"1\",subsystem=\""
                        + exported.nqn() + "\"}", 50.0 * 4096)
                .containsEntry("windrose_namespace_latency_seconds_count" + series, 30.0)
                .containsEntry("windrose_namespace_latency_seconds_bucket{direction=\"read\",node=\"" + node + "\",nsid=\"1\",subsystem=\""
                        + exported.nqn() + "\",le=\"+Inf\"}", 30.0)
                .containsKey("windrose_reactor_busy_ratio{host=\"1\",node=\"" + node + "\",reactor=\"0\"}");
        assertThat(text).contains("# TYPE windrose_namespace_latency_seconds histogram");

        // The sample of the interval with the I/O (or a later, idle one) lists the namespace.
        as(get("/api/v1/stats")).andExpect(status().isOk())
                .andExpect(jsonPath("$.namespaces[?(@.subsystemNqn == '" + exported.nqn() + "')].nsid").value(1))
                .andExpect(jsonPath("$.cluster.readIops").isNumber());
    }

    @Test
    void the_stream_pushes_samples_with_the_namespace_io_to_a_token_holder() throws Exception {
        Exported exported = export();
        BlockingQueue<String> data = new LinkedBlockingQueue<>();
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/v1/stats/stream"))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.userWithRole(Role.VIEWER))
                .header(HttpHeaders.ACCEPT, MediaType.TEXT_EVENT_STREAM_VALUE).GET().build();
        HttpResponse<Stream<String>> response = client.send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith(MediaType.TEXT_EVENT_STREAM_VALUE));
        Thread reader = Thread.ofVirtual().start(() -> response.body()
                .filter(line -> line.startsWith("data:")).forEach(line -> data.add(line.substring(5))));
        try (NvmeTcpHost.Connection host = NvmeTcpHost.connect("127.0.0.1", exported.port(), exported.nqn())) {
            Instant deadline = Instant.now().plus(PATIENCE);
            boolean seen = false;
            byte[] block = new byte[4096];
            while (!seen && Instant.now().isBefore(deadline)) {
                for (int i = 0; i < 20; i++) {
                    host.write(1, i * 8L, block);
                    host.read(1, i * 8L, 4096);
                }
                String json;
                while (!seen && (json = data.poll(50, TimeUnit.MILLISECONDS)) != null) {
                    List<Map<String, Object>> mine = JsonPath.read(json,
                            "$.namespaces[?(@.subsystemNqn == '" + exported.nqn() + "')].rates");
                    seen = !mine.isEmpty() && ((Number) mine.getFirst().get("readIops")).doubleValue() > 0
                            && ((Number) mine.getFirst().get("writeIops")).doubleValue() > 0
                            && mine.getFirst().get("readLatency") != null;
                }
            }
            assertThat(seen).as("a streamed sample shows reads and writes with latency on the namespace").isTrue();
        } finally {
            response.body().close();
            reader.interrupt();
            client.close();
        }
    }

    @Test
    void the_stream_refuses_a_client_without_a_token() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/api/v1/stats/stream")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
    }

    @Test
    void history_serves_live_points_and_stored_steps_for_a_namespace() throws Exception {
        Exported exported = export();
        String object = "namespace:" + exported.nqn() + "/1";
        try (NvmeTcpHost.Connection host = NvmeTcpHost.connect("127.0.0.1", exported.port(), exported.nqn())) {
            eventually(() -> {
                for (int i = 0; i < 20; i++) {
                    host.read(1, i * 8L, 4096);
                }
                String from = Instant.now().minusSeconds(60).toString();
                String stored = as(get("/api/v1/stats/history").param("object", object).param("from", from)
                        .param("step", "PT2S"))
                        .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
                List<Double> iops = JsonPath.read(stored, "$[*].rates.readIops");
                return iops.stream().anyMatch(value -> value > 0) ? stored : null;
            });
        }
        String from = Instant.now().minusSeconds(60).toString();
        String live = as(get("/api/v1/stats/history").param("object", object).param("from", from).param("step", "PT1S"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].step").value("PT1S"))
                .andReturn().getResponse().getContentAsString();
        List<Double> readIops = JsonPath.read(live, "$[*].rates.readIops");
        assertThat(readIops).anyMatch(value -> value > 0);
        as(get("/api/v1/stats/history?object=cluster&from=" + from + "&step=PT4S")).andExpect(status().isOk())
                .andExpect(jsonPath("$[0].step").value("PT4S"));
    }

    @Test
    void a_latency_alert_is_raised_acknowledged_by_an_operator_and_cleared() throws Exception {
        Exported exported = export();
        String key = "namespace:" + exported.nqn() + "/1";
        String viewer = tokens.userWithRole(Role.VIEWER);
        String operator = tokens.userWithRole(Role.OPERATOR);
        json(put("/api/v1/alert-thresholds"), thresholds(1L), viewer).andExpect(status().isForbidden());
        json(put("/api/v1/alert-thresholds"), thresholds(1L), admin).andExpect(status().isOk())
                .andExpect(jsonPath("$.latencyP99Micros").value(1));
        try {
            int id;
            try (NvmeTcpHost.Connection host = NvmeTcpHost.connect("127.0.0.1", exported.port(), exported.nqn())) {
                id = eventually(() -> {
                    for (int i = 0; i < 20; i++) {
                        host.read(1, i * 8L, 4096);
                    }
                    String open = as(get("/api/v1/events?state=OPEN&size=500")).andExpect(status().isOk())
                            .andReturn().getResponse().getContentAsString();
                    List<Integer> ids = JsonPath.read(open,
                            "$.items[?(@.objectKey == '" + key + "' && @.rule == 'LATENCY_P99')].id");
                    return ids.isEmpty() ? null : ids.getFirst();
                });
            }
            as(get("/api/v1/events/open-count")).andExpect(status().isOk());
            as(post("/api/v1/events/" + id + "/acknowledge"), viewer).andExpect(status().isForbidden());
            as(post("/api/v1/events/" + id + "/acknowledge"), operator).andExpect(status().isOk())
                    .andExpect(jsonPath("$.state").value("ACKNOWLEDGED"))
                    .andExpect(jsonPath("$.acknowledgedBy").isString())
                    .andExpect(jsonPath("$.message").value(org.hamcrest.Matchers.containsString("above the bound of 1 µs")));
            as(get("/api/v1/audit?size=50")).andExpect(status().isOk())
                    .andExpect(jsonPath("$.entries[?(@.action == 'EVENT_ACKNOWLEDGED' && @.target == '" + key + "')]")
                            .isNotEmpty());
            // No more I/O, and a generous bound: the next step clears it.
            json(put("/api/v1/alert-thresholds"), thresholds(10_000_000L), admin).andExpect(status().isOk());
            eventually(() -> {
                String event = as(get("/api/v1/events/" + id)).andReturn().getResponse().getContentAsString();
                return "CLEARED".equals(JsonPath.read(event, "$.state")) ? event : null;
            });
        } finally {
            json(put("/api/v1/alert-thresholds"), thresholds(10_000L), admin).andExpect(status().isOk());
        }
    }

    @Test
    void a_thick_pool_allocated_to_the_last_byte_raises_no_event_and_reports_itself_fully_allocated() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        int pool = JsonPath.read(body(json(post("/api/v1/pools"),
                "{\"name\":\"full-" + suffix + "\",\"type\":\"MEMORY\",\"capacityBytes\":33554432}", admin)
                .andExpect(status().isCreated())), "$.id");
        int volume = JsonPath.read(body(json(post("/api/v1/volumes"), "{\"name\":\"fv-" + suffix + "\",\"poolId\":"
                + pool + ",\"sizeBytes\":33554432}", admin).andExpect(status().isCreated())), "$.id");
        try {
            AlertsNow.evaluateInventory(context);
            String open = as(get("/api/v1/events?state=OPEN&size=500")).andReturn().getResponse().getContentAsString();
            List<Map<String, Object>> mine = JsonPath.read(open, "$.items[?(@.objectKey == 'pool:" + pool + "')]");
            assertThat(mine).as("a fully allocated thick pool is no emergency").isEmpty();
            as(get("/api/v1/pools/" + pool)).andExpect(status().isOk())
                    .andExpect(jsonPath("$.allocatedBytes").value(33554432))
                    .andExpect(jsonPath("$.warnings").isEmpty());
        } finally {
            as(delete("/api/v1/volumes/" + volume)).andExpect(status().isNoContent());
            as(delete("/api/v1/pools/" + pool)).andExpect(status().isNoContent());
        }
    }

    @Test
    void bad_input_is_a_problem_that_names_the_field() throws Exception {
        as(get("/api/v1/stats/history?object=volume:3")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("object"));
        as(get("/api/v1/stats/history")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("object"));
        as(get("/api/v1/stats/history?object=cluster&step=PT0.5S")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("step"));
        as(get("/api/v1/stats/history?object=cluster&step=soon")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("step"));
        as(get("/api/v1/stats/history?object=cluster&from=2026-11-25T12:00:00Z&to=2026-11-25T11:00:00Z"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("from"));
        as(get("/api/v1/stats/history?object=cluster&from=yesterday")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("from"));
        as(get("/api/v1/events?state=BURNING")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("state"));
        as(get("/api/v1/events/987654")).andExpect(status().isNotFound());
        json(put("/api/v1/alert-thresholds"), """
                {"poolWarningPercent":90,"poolCriticalPercent":80,"latencyP99Micros":null,
                 "queuePairErrorsPerMinute":1,"hostHeartbeat":true,"diskHealth":true,"reconciliationErrors":true}""", admin)
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("poolCriticalPercent"));
        json(put("/api/v1/alert-thresholds"), thresholds(0L), admin).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("latencyP99Micros"));
        as(get("/api/v1/alert-thresholds")).andExpect(status().isOk()).andExpect(jsonPath("$.poolWarningPercent").value(80));
    }

    // --- helpers

    record Exported(String nqn, int port) {
    }

    /** A 16 MiB RAM volume exported as NSID 1 of a new subsystem any host may use, on a free loopback port. */
    private Exported export() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        int pool = JsonPath.read(body(json(post("/api/v1/pools"),
                "{\"name\":\"tm-" + suffix + "\",\"type\":\"MEMORY\",\"capacityBytes\":33554432}", admin)
                .andExpect(status().isCreated())), "$.id");
        int volume = JsonPath.read(body(json(post("/api/v1/volumes"),
                "{\"name\":\"tv-" + suffix + "\",\"poolId\":" + pool + ",\"sizeBytes\":16777216}", admin)
                .andExpect(status().isCreated())), "$.id");
        String nqn = "nqn.2026-11.dev.windrose.test:telemetry-" + suffix;
        int subsystem = JsonPath.read(body(json(post("/api/v1/subsystems"),
                "{\"nqn\":\"" + nqn + "\",\"allowAnyHost\":true}", admin).andExpect(status().isCreated())), "$.id");
        json(post("/api/v1/subsystems/" + subsystem + "/namespaces"), "{\"volumeId\":" + volume + "}", admin)
                .andExpect(status().isCreated());
        int port = freePort();
        json(post("/api/v1/subsystems/" + subsystem + "/listeners"), "{\"address\":\"127.0.0.1\",\"port\":" + port + "}",
                admin).andExpect(status().isCreated());
        as(get("/api/v1/subsystems/" + subsystem)).andExpect(jsonPath("$.state").value("APPLIED"))
                .andExpect(jsonPath("$.listeners[0].state").value("APPLIED"));
        return new Exported(nqn, port);
    }

    private static String thresholds(Long latencyMicros) {
        return """
                {"poolWarningPercent":80,"poolCriticalPercent":90,"latencyP99Micros":%d,
                 "queuePairErrorsPerMinute":1,"hostHeartbeat":true,"diskHealth":true,"reconciliationErrors":true}"""
                .formatted(latencyMicros);
    }

    private static final Pattern SAMPLE_LINE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*\\})?) "
                    + "(-?[0-9.eE+-]+|NaN|[+-]Inf)( -?[0-9]+)?");

    /** Parses the text exposition format strictly: every line a comment or a sample; series → value. */
    static Map<String, Double> parsePrometheusText(String text) {
        Map<String, Double> series = new java.util.HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("# HELP ") || line.startsWith("# TYPE ") || line.startsWith("# UNIT ")) {
                continue;
            }
            Matcher sample = SAMPLE_LINE.matcher(line);
            assertThat(sample.matches()).as("a Prometheus sample line: %s", line).isTrue();
            series.put(sample.group(1), switch (sample.group(2)) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(sample.group(2));
            });
        }
        return series;
    }

    @FunctionalInterface
    interface Attempt<T> {
        T get() throws Exception;
    }

    /** Retries until the attempt returns something (the sampler works on its own clock). */
    static <T> T eventually(Attempt<T> attempt) throws Exception {
        Instant deadline = Instant.now().plus(PATIENCE);
        for (;;) {
            T result = attempt.get();
            if (result != null) {
                return result;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + PATIENCE);
            }
            Thread.sleep(200);
        }
    }

    private ResultActions as(MockHttpServletRequestBuilder request) throws Exception {
        return as(request, admin);
    }

    private ResultActions as(MockHttpServletRequestBuilder request, String token) throws Exception {
        return mvc.perform(request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token));
    }

    private ResultActions json(MockHttpServletRequestBuilder request, String body, String token) throws Exception {
        return as(request.contentType(MediaType.APPLICATION_JSON).content(body), token);
    }
}
