package dev.windrose.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.windrose.WindroseApplication;
import dev.windrose.common.ConflictException;
import dev.windrose.inventory.HostId;
import dev.windrose.inventory.HostState;
import dev.windrose.security.Role;
import dev.windrose.support.PostgresAvailable;
import dev.windrose.telemetry.AlertRule;
import dev.windrose.telemetry.EventInfo;
import dev.windrose.telemetry.EventService;
import dev.windrose.telemetry.EventState;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.domain.PageRequest;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Three Windrose nodes — three whole applications, each with its own node id — on one real PostgreSQL
 * schema: the first founds the cluster, the second asks and serves nothing until an administrator on the
 * first accepts it, the third joins with a join token; a once-per-cluster job runs once per period across
 * the three; a node that stops is an event on the others within 10 s and can then be removed.
 */
@ExtendWith(PostgresAvailable.class)
class ClusterPostgresTest {

    private static final String SCHEMA = PostgresAvailable.freshSchema("wr_cluster_");
    private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

    @AfterEach
    void stopTheNodes() {
        nodes.forEach(ConfigurableApplicationContext::close);
        SecurityContextHolder.clearContext();
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        PostgresAvailable.dropSchema(SCHEMA);
    }

    @Test
    void three_nodes_join_only_when_accepted_or_with_a_token_share_the_cluster_jobs_and_see_a_stopped_one_go()
            throws Exception {
        signInAsAdministrator();
        ConfigurableApplicationContext first = start("node-1", null);
        assertThat(cluster(first).localIsMember()).as("the first node of an empty database founds the cluster")
                .isTrue();

        ConfigurableApplicationContext second = start("node-2", null);
        assertThat(cluster(second).localIsMember()).as("a later node without a token asks").isFalse();
        assertThat(second.getBean(OncePerCluster.class).run("asking-node-job", Duration.ofSeconds(1), () -> { }))
                .as("a node that asks runs no cluster job").isFalse();
        NodeInfo asking = node(first, "node-2");
        assertThat(asking.membership()).isEqualTo(Membership.ASKING);
        cluster(first).accept(asking.id());
        assertThat(within(Duration.ofSeconds(10), () -> cluster(second).localIsMember()))
                .as("the accepted node learns it within seconds, by itself").isTrue();

        CreatedJoinToken token = cluster(first).createJoinToken(Duration.ofHours(1));
        ConfigurableApplicationContext third = start("node-3", token.secret());
        assertThat(cluster(third).localIsMember()).as("a node with a join token joins at once").isTrue();
        assertThat(cluster(second).nodes()).extracting(NodeInfo::name)
                .containsExactlyInAnyOrder("node-1", "node-2", "node-3");
        assertThat(cluster(second).nodes()).allSatisfy(node -> {
            assertThat(node.membership()).isEqualTo(Membership.MEMBER);
            assertThat(node.state()).isEqualTo(HostState.ONLINE);
        });

        List<Instant> runs = runOneJobFromEveryNode(List.of(first, second, third), Duration.ofSeconds(1),
                Duration.ofSeconds(10));
        assertThat(runs.size()).as("runs of a 1 s job in 10 s on three nodes: %s", runs).isBetween(9, 12);
        // The recorded start of each run (taken under the lock) is what the guarantee is about; when the work
        // itself began depends on how busy the machine is.
        assertThat(scheduledRunGaps("test-job")).as("no two runs of the 1 s job closer than 0.9 s")
                .allSatisfy(gap -> assertThat(gap).isGreaterThanOrEqualTo(Duration.ofMillis(900)));
        assertThat(scheduledRunGaps("node-watch")).as("the nodes' heartbeat judgement never ran twice at once")
                .allSatisfy(gap -> assertThat(gap).isGreaterThanOrEqualTo(Duration.ofMillis(1350)));

        assertThatThrownBy(() -> cluster(first).remove(node(first, "node-3").id()))
                .isInstanceOf(ConflictException.class).hasMessageContaining("is online");
        HostId stopped = node(first, "node-3").id();
        third.close();
        nodes.remove(third);
        Instant stoppedAt = Instant.now();
        EventService events = first.getBean(EventService.class);
        assertThat(within(Duration.ofSeconds(10), () -> offlineEvent(events, stopped).isPresent()))
                .as("an event says node-3 is offline within 10 s of its stop").isTrue();
        System.out.printf("[cluster] node-3 stopped -> offline event after %d ms%n",
                Duration.between(stoppedAt, offlineEvent(events, stopped).orElseThrow().raisedAt()).toMillis());
        assertThat(node(first, "node-3").state()).isEqualTo(HostState.OFFLINE);
        cluster(first).remove(stopped);
        assertThat(cluster(first).nodes()).extracting(NodeInfo::name).containsExactlyInAnyOrder("node-1", "node-2");
    }

    private ConfigurableApplicationContext start(String nodeId, @Nullable String joinToken) {
        List<String> properties = new ArrayList<>(List.of(
                "spring.profiles.active=test",
                "spring.datasource.url=" + PostgresAvailable.URL + "?currentSchema=" + SCHEMA,
                "spring.datasource.username=" + PostgresAvailable.USER,
                "spring.datasource.password=" + PostgresAvailable.PASSWORD,
                "spring.flyway.schemas=" + SCHEMA,
                "spring.flyway.default-schema=" + SCHEMA,
                "spring.flyway.create-schemas=true",
                "spring.jpa.properties.hibernate.default_schema=" + SCHEMA,
                "server.port=0",
                "windrose.node.id=" + nodeId,
                "windrose.node.name=" + nodeId,
                "windrose.data-dir=target/test-data/" + SCHEMA + "/" + nodeId,
                "windrose.dataplane.target.enabled=false",
                "windrose.telemetry.enabled=false",
                "windrose.inventory.heartbeat-interval=PT1S",
                "windrose.cluster.membership-refresh=PT0.5S",
                "windrose.cluster.node-watch-interval=PT1S"));
        if (joinToken != null) {
            properties.add("windrose.cluster.join-token=" + joinToken);
        }
        // As command-line arguments: they win over application(-test).properties, as a real node's would.
        ConfigurableApplicationContext node = new SpringApplicationBuilder(WindroseApplication.class)
                .run(properties.stream().map(property -> "--" + property).toArray(String[]::new));
        nodes.add(node);
        return node;
    }

    /** The node's cluster service, called as an administrator (starting a node resets the holder's strategy). */
    private static ClusterService cluster(ConfigurableApplicationContext node) {
        signInAsAdministrator();
        return node.getBean(ClusterService.class);
    }

    private static NodeInfo node(ConfigurableApplicationContext on, String name) {
        return cluster(on).nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    /** Every node tries the job every 20 ms, as three schedulers out of phase would; returns the runs' times. */
    private static List<Instant> runOneJobFromEveryNode(List<ConfigurableApplicationContext> on, Duration period,
            Duration window) throws InterruptedException {
        List<Instant> runs = java.util.Collections.synchronizedList(new ArrayList<>());
        Instant end = Instant.now().plus(window);
        var threads = Executors.newFixedThreadPool(on.size());
        for (ConfigurableApplicationContext node : on) {
            OncePerCluster once = node.getBean(OncePerCluster.class);
            threads.submit(() -> {
                while (Instant.now().isBefore(end)) {
                    once.run("test-job", period, () -> runs.add(Instant.now()));
                    Thread.sleep(20);
                }
                return null;
            });
        }
        threads.shutdown();
        assertThat(threads.awaitTermination(window.toSeconds() + 30, TimeUnit.SECONDS)).isTrue();
        List<Instant> sorted = new ArrayList<>(runs);
        sorted.sort(null);
        return sorted;
    }

    private static List<Duration> scheduledRunGaps(String job) throws SQLException {
        List<Instant> starts = new ArrayList<>();
        try (Connection connection = PostgresAvailable.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT started_at FROM " + SCHEMA
                        + ".cluster_job_run WHERE job = '" + job + "' ORDER BY started_at")) {
            while (rows.next()) {
                starts.add(rows.getTimestamp(1).toInstant());
            }
        }
        assertThat(starts).as("runs of " + job).hasSizeGreaterThan(3);
        List<Duration> gaps = new ArrayList<>();
        for (int i = 1; i < starts.size(); i++) {
            gaps.add(Duration.between(starts.get(i - 1), starts.get(i)));
        }
        return gaps;
    }

    private static Optional<EventInfo> offlineEvent(EventService events, HostId host) {
        signInAsAdministrator();
        return events.list(EventState.OPEN, PageRequest.of(0, 100)).getContent().stream()
                .filter(e -> e.rule() == AlertRule.HOST_HEARTBEAT && e.objectKey().equals("host:" + host.value()))
                .findFirst();
    }

    private static boolean within(Duration limit, BooleanSupplier condition) throws InterruptedException {
        Instant end = Instant.now().plus(limit);
        while (Instant.now().isBefore(end)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }

    private static void signInAsAdministrator() {
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                "cluster-admin", null, Role.ADMIN.withIncludedRoles().stream()
                        .map(role -> new SimpleGrantedAuthority(role.authority())).toList()));
    }
}
