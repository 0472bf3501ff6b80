package dev.windrose.mirror.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windrose.mirror.Leg;
import dev.windrose.support.PostgresAvailable;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The witness's rules on the real PostgreSQL (issue 16): every change of the active leg or of a leg's
 * currency is one compare-and-set, so of two racing nodes exactly one wins, a leg that misses writes never
 * becomes active, and a live lease keeps the partner out unless the active node's session is gone.
 */
@ExtendWith(PostgresAvailable.class)
class MirrorWitnessPostgresTest {

    private static final String SCHEMA = PostgresAvailable.freshSchema("witness");
    private static final Duration LEASE = Duration.ofSeconds(8);
    private static DriverManagerDataSource dataSource;
    private MirrorWitness witness;
    private JdbcClient jdbc;
    private long mirror;

    @BeforeAll
    static void migrate() {
        dataSource = new DriverManagerDataSource(PostgresAvailable.URL + "?currentSchema=" + SCHEMA,
                PostgresAvailable.USER, PostgresAvailable.PASSWORD);
        Flyway.configure().dataSource(dataSource).schemas(SCHEMA).defaultSchema(SCHEMA).createSchemas(true)
                .locations("filesystem:db/migration").load().migrate();
    }

    @AfterAll
    static void drop() throws SQLException {
        PostgresAvailable.dropSchema(SCHEMA);
    }

    @BeforeEach
    void twoNodesWithALegEach() {
        jdbc = JdbcClient.create(dataSource);
        witness = new MirrorWitness(jdbc);
        jdbc.sql("DELETE FROM mirror_event").update();
        jdbc.sql("DELETE FROM mirrored_volume").update();
        long a = node("a"), b = node("b");
        mirror = witness.insert("m" + System.nanoTime(), 1 << 26, volume(a), volume(b), Instant.now(), null);
    }

    @Test
    void a_new_mirror_has_leg_a_active_and_both_legs_current() {
        MirrorRow row = row();
        assertThat(row.active()).isEqualTo(Leg.A);
        assertThat(row.current(Leg.A)).isTrue();
        assertThat(row.current(Leg.B)).isTrue();
        assertThat(row.leaseRunOut()).isTrue();
    }

    @Test
    void a_new_mirrors_first_lease_keeps_leg_b_out_before_leg_a_renews() {
        long a = node("a2"), b = node("b2");
        long fresh = witness.insert("fresh" + System.nanoTime(), 1 << 26, volume(a), volume(b), Instant.now(), LEASE);
        assertThat(witness.find(fresh).orElseThrow().leaseLeftMillis()).isBetween(5_000L, 8_000L);
        assertThat(witness.takeOver(fresh, Leg.B, 1, false, LEASE, "nothing exported yet")).isFalse();
        assertThat(witness.find(fresh).orElseThrow().active()).isEqualTo(Leg.A);
    }

    @Test
    void a_resync_keeps_the_time_it_began_until_it_ends() throws InterruptedException {
        witness.observe(mirror, "RESYNCING", 1 << 24, 0, 1 << 24);
        Instant began = row().observedResyncStartedAt();
        assertThat(began).isNotNull();
        Thread.sleep(20);
        witness.observe(mirror, "RESYNCING", 1 << 23, 1 << 23, 1 << 24);
        assertThat(row().observedResyncStartedAt()).as("the same resync").isEqualTo(began);
        assertThat(row().resyncTimeLeft()).isNotNull();
        witness.observe(mirror, "IN_SYNC", 0, 1 << 24, 1 << 24);
        assertThat(row().observedResyncStartedAt()).isNull();
        assertThat(row().resyncTimeLeft()).isNull();
    }

    @Test
    void a_path_report_replaces_the_nodes_previous_one() {
        long node = row().legANode();
        witness.reportPaths(mirror, node, java.util.Map.of("nqn.2014-08.org.nvmexpress:uuid:h1", 2,
                "nqn.2014-08.org.nvmexpress:uuid:h2", 1), "OPTIMIZED");
        assertThat(witness.reportedPaths(mirror)).extracting(MirrorWitness.ReportedPath::hostNqn,
                MirrorWitness.ReportedPath::controllers).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("nqn.2014-08.org.nvmexpress:uuid:h1", 2),
                        org.assertj.core.groups.Tuple.tuple("nqn.2014-08.org.nvmexpress:uuid:h2", 1));
        witness.reportPaths(mirror, node, java.util.Map.of("nqn.2014-08.org.nvmexpress:uuid:h2", 1), "INACCESSIBLE");
        assertThat(witness.reportedPaths(mirror)).extracting(MirrorWitness.ReportedPath::hostNqn,
                MirrorWitness.ReportedPath::anaState).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("nqn.2014-08.org.nvmexpress:uuid:h2", "INACCESSIBLE"));
        witness.reportPaths(mirror, node, java.util.Map.of(), "INACCESSIBLE");
        assertThat(witness.reportedPaths(mirror)).isEmpty();
    }

    @Test
    void a_live_lease_keeps_the_partner_out_unless_the_active_session_is_gone() {
        assertThat(witness.renewLease(mirror, Leg.A, 1, LEASE)).isTrue();
        assertThat(row().leaseLeftMillis()).isBetween(5_000L, 8_000L);
        assertThat(witness.takeOver(mirror, Leg.B, 1, false, LEASE, "test")).isFalse();
        assertThat(witness.takeOver(mirror, Leg.B, 1, true, LEASE, "session gone")).isTrue();
        MirrorRow row = row();
        assertThat(row.active()).isEqualTo(Leg.B);
        assertThat(row.generation()).isEqualTo(2);
        assertThat(row.current(Leg.B)).isTrue();
        assertThat(row.current(Leg.A)).as("the old active leg may miss writes: out of sync until resynced").isFalse();
        assertThat(row.lastFailoverReason()).isEqualTo("session gone");
    }

    @Test
    void the_old_active_node_can_neither_renew_nor_record_after_a_takeover() {
        assertThat(witness.takeOver(mirror, Leg.B, 1, false, LEASE, "lease ran out")).isTrue();
        assertThat(witness.renewLease(mirror, Leg.A, 1, LEASE)).isFalse();
        assertThat(witness.recordPartnerOutOfSync(mirror, Leg.A, 1)).isFalse();
        assertThat(witness.recordPartnerInSync(mirror, Leg.A, 1)).isFalse();
        assertThat(row().active()).isEqualTo(Leg.B);
    }

    @Test
    void a_leg_recorded_out_of_sync_never_becomes_active_until_resynced() {
        assertThat(witness.recordPartnerOutOfSync(mirror, Leg.A, 1)).isTrue();
        assertThat(row().current(Leg.B)).isFalse();
        assertThat(witness.takeOver(mirror, Leg.B, 2, true, LEASE, "test")).isFalse();
        assertThat(witness.handOver(mirror, Leg.A, 2, LEASE, "test")).as("no planned hand-over to a stale leg").isFalse();
        assertThat(witness.recordPartnerInSync(mirror, Leg.A, 2)).isTrue();
        assertThat(row().current(Leg.B)).isTrue();
        assertThat(witness.takeOver(mirror, Leg.B, 2, true, LEASE, "test")).isTrue();
    }

    @Test
    void of_a_takeover_and_a_degrade_racing_exactly_one_wins() throws Exception {
        for (int round = 0; round < 20; round++) {
            twoNodesWithALegEach();
            long generation = row().generation();
            List<Callable<Boolean>> racers = List.of(
                    () -> witness.takeOver(mirror, Leg.B, generation, true, LEASE, "race"),
                    () -> witness.recordPartnerOutOfSync(mirror, Leg.A, generation));
            List<Boolean> won = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
                for (Future<Boolean> result : pool.invokeAll(racers)) {
                    won.add(result.get());
                }
            }
            assertThat(won).as("round " + round).containsExactlyInAnyOrder(true, false);
            MirrorRow row = row();
            assertThat(row.generation()).isEqualTo(generation + 1);
            assertThat(row.current(row.active())).isTrue();
            assertThat(row.current(row.active().other())).isFalse();
        }
    }

    @Test
    void events_come_back_newest_first() {
        witness.event(mirror, "DEGRADED", "node-a", "first");
        witness.event(mirror, "RESYNCED", "node-a", "second");
        assertThat(witness.recentEvents(mirror, 10)).extracting(e -> e.detail()).containsExactly("second", "first");
    }

    private MirrorRow row() {
        return witness.find(mirror).orElseThrow();
    }

    private long node(String name) {
        String unique = name + System.nanoTime();
        jdbc.sql("""
                INSERT INTO host (machine_id, name, addresses, os_name, kernel, cpu_cores, memory_bytes, dataplane_version,
                    dataplane_mode, registered_at, last_heartbeat_at)
                VALUES (?, ?, '', 'Linux', '6', 2, 1, '1', 'EMBEDDED', now(), now())""").params(unique, unique).update();
        return jdbc.sql("SELECT id FROM host WHERE machine_id = ?").param(unique).query(Long.class).single();
    }

    private long volume(long node) {
        String unique = "v" + System.nanoTime();
        jdbc.sql("""
                INSERT INTO storage_pool (host_id, name, pool_type, directory_path, capacity_bytes, overcommit_percent,
                    label_uuid, created_at) VALUES (?, ?, 'DIRECTORY', '/tmp', 1073741824, 100, ?, now())""")
                .params(node, unique, java.util.UUID.randomUUID().toString()).update();
        long pool = jdbc.sql("SELECT id FROM storage_pool WHERE name = ?").param(unique).query(Long.class).single();
        jdbc.sql("""
                INSERT INTO volume (pool_id, host_id, name, uuid, size_bytes, provisioning, backing_path, created_at)
                VALUES (?, ?, ?, ?, 67108864, 'THIN', ?, now())""")
                .params(pool, node, unique, java.util.UUID.randomUUID().toString(), "/tmp/" + unique).update();
        return jdbc.sql("SELECT id FROM volume WHERE name = ?").param(unique).query(Long.class).single();
    }
}
