package dev.windrose.telemetry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.windrose.inventory.ApiTokens;
import dev.windrose.inventory.HostInfo;
import dev.windrose.inventory.HostService;
import dev.windrose.security.UserService;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Every node's newest sample reaches the other nodes through the database: this node's own sample is in
 * the table and the REST answer, and a row another node writes (as that node would: upsert, then NOTIFY on
 * PostgreSQL) shows here with its delay. Shares {@code TelemetryApiTest}'s context (running target, 0.5 s
 * samples); the PostgreSQL subclass polls once a minute only, so there only the notification can deliver.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "windrose.test-context=telemetry-api", "windrose.telemetry.sample-interval=PT0.5S",
        "windrose.telemetry.fine-step=PT2S", "windrose.telemetry.coarse-step=PT4S",
        "windrose.telemetry.alert-interval=PT1S"})
@AutoConfigureMockMvc
@ActiveProfiles("test")
class NodeSampleExchangeTest {

    static final Duration PATIENCE = Duration.ofSeconds(5);

    @Autowired
    MockMvc mvc;
    @Autowired
    UserService users;
    @Autowired
    HostService hosts;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Environment environment;
    @Autowired
    NodeSampleExchange exchange;

    @Test
    void this_nodes_sample_is_written_for_the_others_and_served_with_its_dataplane_state() throws Exception {
        HostInfo local = hosts.local();
        Map<String, Object> own = eventually(() -> nodes().stream()
                .filter(node -> ((Number) node.get("hostId")).longValue() == local.id().value()).findFirst().orElse(null));
        assertThat(own).containsEntry("nodeName", local.name()).containsEntry("dataplaneUp", true)
                .containsEntry("arrivalDelayMillis", 0);
        OffsetDateTime stored = jdbc.queryForObject("SELECT sampled_at FROM node_live_sample WHERE host_id = ?",
                OffsetDateTime.class, local.id().value());
        assertThat(Duration.between(stored.toInstant(), Instant.now())).isLessThan(PATIENCE);
        assertThat(exchange.state(local.id())).contains("Running");
    }

    @Test
    void a_sample_written_by_another_node_arrives_here_with_its_delay() throws Exception {
        String name = "other-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            PreparedStatement insert = connection.prepareStatement("INSERT INTO host (machine_id, name, addresses, "
                    + "os_name, kernel, cpu_cores, memory_bytes, dataplane_version, dataplane_mode, registered_at, "
                    + "last_heartbeat_at) VALUES (?, ?, '127.0.0.2', 'Linux', '6', 2, 1073741824, '1', 'embedded', ?, ?)",
                    new String[] {"id"});
            insert.setString(1, name);
            insert.setString(2, name);
            insert.setObject(3, at);
            insert.setObject(4, at);
            return insert;
        }, key);
        long other = key.getKeyAs(Number.class).longValue();
        try {
            // Microseconds: what both databases keep of an instant.
            Instant sampledAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
            writeAsAnotherNode(other, sampledAt, "listener port taken");
            Map<String, Object> arrived = eventually(() -> nodes().stream()
                    .filter(node -> ((Number) node.get("hostId")).longValue() == other).findFirst().orElse(null));
            long delay = ((Number) arrived.get("arrivalDelayMillis")).longValue();
            System.out.printf("node sample of another node arrived after %d ms (%s)%n", delay,
                    postgres() ? "PostgreSQL LISTEN/NOTIFY" : "H2 polling");
            assertThat(arrived).containsEntry("nodeName", name).containsEntry("dataplaneUp", false)
                    .containsEntry("dataplaneProblem", "listener port taken").containsEntry("readIops", 120.0);
            assertThat(Instant.parse((String) arrived.get("sampledAt"))).isEqualTo(sampledAt);
            assertThat(delay).isBetween(0L, PATIENCE.toMillis());
            assertThat(exchange.state(new dev.windrose.inventory.HostId(other)))
                    .contains("Stopped: listener port taken");
        } finally {
            jdbc.update("DELETE FROM node_live_sample WHERE host_id = ?", other);
            jdbc.update("DELETE FROM host WHERE id = ?", other);
        }
    }

    /** What another node does for each sample: its row updated, and on PostgreSQL a notification. */
    void writeAsAnotherNode(long hostId, Instant sampledAt, String problem) {
        jdbc.update("INSERT INTO node_live_sample (host_id, sampled_at, interval_ms, dataplane_up, dataplane_problem, "
                + "read_iops, write_iops, read_mibps, write_mibps, latency_p50_us, latency_p99_us, latency_p999_us, "
                + "errors) VALUES (?, ?, 1000, FALSE, ?, 120, 0, 0.5, 0, 40, 90, 120, 0)", hostId,
                OffsetDateTime.ofInstant(sampledAt, ZoneOffset.UTC), problem);
        if (postgres()) {
            jdbc.execute("NOTIFY " + NodeSampleExchange.CHANNEL + ", '" + hostId + "'");
        }
    }

    boolean postgres() {
        return environment.getProperty("spring.datasource.url", "").startsWith("jdbc:postgresql:");
    }

    private List<Map<String, Object>> nodes() throws Exception {
        String token = new ApiTokens(mvc, users).admin();
        String body = mvc.perform(get("/api/v1/stats/nodes").header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        return JsonPath.read(body, "$");
    }

    interface Attempt<T> {
        T get() throws Exception;
    }

    static <T> T eventually(Attempt<T> attempt) throws Exception {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (true) {
            T value = attempt.get();
            if (value != null) {
                return value;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + PATIENCE);
            }
            Thread.sleep(50);
        }
    }
}
