package dev.windrose.mirror.internal;

import dev.windrose.mirror.Leg;
import dev.windrose.mirror.ReplicationEndpoint;
import dev.windrose.mirror.MirroredVolumeInfo.MirrorEventInfo;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * PostgreSQL as the witness of mirrored volumes. Every change of who is active or which leg is current is
 * one conditional UPDATE on the generation the caller last read: of two nodes that race, exactly one
 * succeeds, and the loser learns it from the row count. Plain SQL rather than JPA, because these are
 * compare-and-set statements that must not be merged, cached or reordered by a persistence context.
 */
@Component
public class MirrorWitness {

    private static final String SELECT = """
            SELECT m.id, m.name, m.size_bytes, m.active_leg, m.generation, m.leg_a_generation, m.leg_b_generation,
                   m.leg_a_volume_id, m.leg_b_volume_id, va.host_id AS a_node, vb.host_id AS b_node,
                   va.backing_path AS a_path, vb.backing_path AS b_path,
                   m.lease_expires_at, CURRENT_TIMESTAMP AS db_now,
                   m.observed_state, m.observed_dirty_bytes, m.observed_resync_done, m.observed_resync_total,
                   m.observed_at, m.observed_resync_started_at, m.last_failover_at, m.last_failover_ms, m.last_failover_reason
            FROM mirrored_volume m
            JOIN volume va ON va.id = m.leg_a_volume_id
            JOIN volume vb ON vb.id = m.leg_b_volume_id
            """;

    private final JdbcClient jdbc;

    MirrorWitness(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<MirrorRow> all() {
        return jdbc.sql(SELECT + " ORDER BY m.name").query(MirrorWitness::row).list();
    }

    public Optional<MirrorRow> find(long id) {
        return jdbc.sql(SELECT + " WHERE m.id = ?").param(id).query(MirrorWitness::row).optional();
    }

    /** The mirrors one of whose legs lives on that node. */
    public List<MirrorRow> withLegOn(long node) {
        return jdbc.sql(SELECT + " WHERE va.host_id = ? OR vb.host_id = ? ORDER BY m.id").param(node).param(node)
                .query(MirrorWitness::row).list();
    }

    public Optional<MirrorRow> ofVolume(long volumeId) {
        return jdbc.sql(SELECT + " WHERE m.leg_a_volume_id = ? OR m.leg_b_volume_id = ?").param(volumeId)
                .param(volumeId).query(MirrorWitness::row).optional();
    }

    /**
     * A new mirror: leg A active, both legs current at generation 1 (both are new, identical volumes). Leg A's
     * node gets a first lease: until its coordinator renews it, there is no replication connection yet (nothing
     * is exported), and without a lease leg B's node would take the new mirror over at its next tick. Null: no
     * lease (tests that start from a run-out lease).
     */
    public long insert(String name, long sizeBytes, long legAVolume, long legBVolume, Instant now,
            @Nullable Duration firstLease) {
        jdbc.sql("""
                INSERT INTO mirrored_volume (name, size_bytes, leg_a_volume_id, leg_b_volume_id, active_leg,
                    generation, leg_a_generation, leg_b_generation, created_at, lease_expires_at)
                VALUES (?, ?, ?, ?, 'A', 1, 1, 1, ?,
                    CASE WHEN ? THEN CURRENT_TIMESTAMP + make_interval(secs => ?) END)""")
                .params(name, sizeBytes, legAVolume, legBVolume, Timestamp.from(now), firstLease != null,
                        firstLease == null ? 0.0 : firstLease.toMillis() / 1000.0).update();
        return jdbc.sql("SELECT id FROM mirrored_volume WHERE name = ?").param(name).query(Long.class).single();
    }

    public void delete(long id) {
        jdbc.sql("DELETE FROM mirrored_volume WHERE id = ?").param(id).update();
    }

    /** The mirrors whose active role was handed away from node for its maintenance (by id). */
    public List<Long> movedAwayForMaintenance(long node) {
        return jdbc.sql("SELECT mirror_id FROM mirror_maintenance WHERE node_id = ? ORDER BY mirror_id").param(node)
                .query(Long.class).list();
    }

    /** Remembers that the mirror's active role left node for its maintenance: ending it hands the role back. */
    public void recordMovedForMaintenance(long mirrorId, long node) {
        jdbc.sql("DELETE FROM mirror_maintenance WHERE mirror_id = ?").param(mirrorId).update();
        jdbc.sql("INSERT INTO mirror_maintenance (mirror_id, node_id, since) VALUES (?, ?, CURRENT_TIMESTAMP)")
                .params(mirrorId, node).update();
    }

    /**
     * A path report: host NQN to connected controllers, all given the same ANA state by node. The new rows go in
     * (PostgreSQL's upsert: mirrors run there) before the hosts no longer connected go out, so a console never
     * reads the node with no path at all while the report changes.
     */
    public void reportPaths(long mirrorId, long node, Map<String, Integer> controllersByHost, String anaState) {
        List<Object> kept = new ArrayList<>(List.of(mirrorId, node));
        if (!controllersByHost.isEmpty()) {
            List<Object> params = new ArrayList<>();
            StringBuilder values = new StringBuilder();
            controllersByHost.forEach((host, controllers) -> {
                values.append(values.isEmpty() ? "" : ", ").append("(?, ?, ?, ?, ?, CURRENT_TIMESTAMP)");
                params.addAll(List.of(mirrorId, node, truncate(host, 223), controllers, anaState));
                kept.add(truncate(host, 223));
            });
            jdbc.sql("INSERT INTO mirror_host_path (mirror_id, node_id, host_nqn, controllers, ana_state, reported_at) "
                    + "VALUES " + values + " ON CONFLICT (mirror_id, node_id, host_nqn) DO UPDATE SET "
                    + "controllers = EXCLUDED.controllers, ana_state = EXCLUDED.ana_state, reported_at = EXCLUDED.reported_at")
                    .params(params).update();
        }
        String notKept = controllersByHost.isEmpty() ? ""
                : " AND host_nqn NOT IN (" + String.join(", ", java.util.Collections.nCopies(controllersByHost.size(), "?")) + ")";
        jdbc.sql("DELETE FROM mirror_host_path WHERE mirror_id = ? AND node_id = ?" + notKept).params(kept).update();
    }

    /** One node's last report of one host's paths to a mirror. */
    public record ReportedPath(long node, String hostNqn, int controllers, String anaState, Instant reportedAt) {
    }

    public List<ReportedPath> reportedPaths(long mirrorId) {
        return jdbc.sql("SELECT node_id, host_nqn, controllers, ana_state, reported_at FROM mirror_host_path "
                + "WHERE mirror_id = ? ORDER BY host_nqn, node_id").param(mirrorId)
                .query((rs, n) -> new ReportedPath(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant()))
                .list();
    }

    public void forgetMaintenance(long mirrorId) {
        jdbc.sql("DELETE FROM mirror_maintenance WHERE mirror_id = ?").param(mirrorId).update();
    }

    /** The active node extends its lease; false when it is not the active one at that generation any more. */
    public boolean renewLease(long id, Leg active, long generation, Duration lease) {
        return jdbc.sql("""
                UPDATE mirrored_volume SET lease_expires_at = CURRENT_TIMESTAMP + make_interval(secs => ?)
                WHERE id = ? AND active_leg = ? AND generation = ?""")
                .params(lease.toMillis() / 1000.0, id, active.name(), generation).update() == 1;
    }

    /**
     * The active leg records that its partner misses writes, at a new generation, before it acknowledges
     * another write. False when something changed first (then it must not acknowledge: it may not be active).
     */
    public boolean recordPartnerOutOfSync(long id, Leg active, long generation) {
        String column = generationColumn(active);
        return jdbc.sql("UPDATE mirrored_volume SET generation = generation + 1, " + column + " = generation + 1 "
                + "WHERE id = ? AND active_leg = ? AND generation = ? AND " + column + " = generation")
                .params(id, active.name(), generation).update() == 1;
    }

    /** After a completed resync: the partner holds every write again, at the current generation. */
    public boolean recordPartnerInSync(long id, Leg active, long generation) {
        return jdbc.sql("UPDATE mirrored_volume SET " + generationColumn(active.other()) + " = generation "
                + "WHERE id = ? AND active_leg = ? AND generation = ?")
                .params(id, active.name(), generation).update() == 1;
    }

    /**
     * The partner of a lost active leg takes over: only if its own leg is current, the active leg is still the
     * other one at that generation, and the active node's lease has run out or its database session is gone.
     * The old active leg stays at the old generation: out of sync until resynchronised.
     */
    public boolean takeOver(long id, Leg taker, long generation, boolean activeSessionGone, Duration lease,
            String reason) {
        String column = generationColumn(taker);
        return jdbc.sql("UPDATE mirrored_volume SET generation = generation + 1, active_leg = ?, " + column
                + " = generation + 1, lease_expires_at = CURRENT_TIMESTAMP + make_interval(secs => ?), "
                + "last_failover_at = CURRENT_TIMESTAMP, last_failover_ms = NULL, last_failover_reason = ? "
                + "WHERE id = ? AND active_leg = ? AND generation = ? AND " + column + " = generation "
                + "AND (? OR lease_expires_at IS NULL OR lease_expires_at < CURRENT_TIMESTAMP)")
                .params(taker.name(), lease.toMillis() / 1000.0, truncate(reason, 200), id, taker.other().name(),
                        generation, activeSessionGone).update() == 1;
    }

    /** A planned hand-over between two current legs: both stay current at the new generation. */
    public boolean handOver(long id, Leg from, long generation, Duration lease, String reason) {
        return jdbc.sql("""
                UPDATE mirrored_volume SET generation = generation + 1, active_leg = ?,
                    leg_a_generation = generation + 1, leg_b_generation = generation + 1,
                    lease_expires_at = CURRENT_TIMESTAMP + make_interval(secs => ?),
                    last_failover_at = CURRENT_TIMESTAMP, last_failover_ms = NULL, last_failover_reason = ?
                WHERE id = ? AND active_leg = ? AND generation = ? AND leg_a_generation = generation
                    AND leg_b_generation = generation""")
                .params(from.other().name(), lease.toMillis() / 1000.0, truncate(reason, 200), id, from.name(),
                        generation).update() == 1;
    }

    /** How long hosts waited, once the new active node serves. */
    public void recordFailoverPause(long id, long generation, long millis) {
        jdbc.sql("UPDATE mirrored_volume SET last_failover_ms = ? WHERE id = ? AND generation = ?")
                .params(millis, id, generation).update();
    }

    /** Since the witness recorded the last change of the active leg, unless a takeover measured it already. */
    public void recordPauseSinceChange(long id) {
        jdbc.sql("""
                UPDATE mirrored_volume SET last_failover_ms =
                    CAST(EXTRACT(EPOCH FROM (CURRENT_TIMESTAMP - last_failover_at)) * 1000 AS BIGINT)
                WHERE id = ? AND last_failover_at IS NOT NULL AND last_failover_ms IS NULL""")
                .param(id).update();
    }

    public void observe(long id, String state, long dirtyBytes, long resyncDone, long resyncTotal) {
        jdbc.sql("""
                UPDATE mirrored_volume SET observed_state = ?, observed_dirty_bytes = ?, observed_resync_done = ?,
                    observed_resync_total = ?, observed_at = CURRENT_TIMESTAMP,
                    observed_resync_started_at = CASE WHEN ? THEN COALESCE(
                        CASE WHEN observed_state = 'RESYNCING' THEN observed_resync_started_at END, CURRENT_TIMESTAMP)
                    END
                WHERE id = ?""")
                .params(state, dirtyBytes, resyncDone, resyncTotal, "RESYNCING".equals(state), id).update();
    }

    public void event(long id, String kind, String node, String detail) {
        jdbc.sql("INSERT INTO mirror_event (mirror_id, at, kind, node_name, detail) VALUES (?, CURRENT_TIMESTAMP, ?, ?, ?)")
                .params(id, kind, truncate(node, 255), truncate(detail, 1000)).update();
    }

    /** The newest first. */
    public List<MirrorEventInfo> recentEvents(long id, int limit) {
        return jdbc.sql("SELECT at, kind, node_name, detail FROM mirror_event WHERE mirror_id = ? ORDER BY id DESC "
                + "FETCH FIRST " + Math.clamp(limit, 1, 100) + " ROWS ONLY").param(id)
                .query((rs, n) -> new MirrorEventInfo(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
                        rs.getString(4)))
                .list();
    }

    public void saveEndpoint(long node, String address, int port) {
        int updated = jdbc.sql("UPDATE mirror_node_endpoint SET address = ?, port = ?, updated_at = CURRENT_TIMESTAMP "
                + "WHERE host_id = ?").params(address, port, node).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO mirror_node_endpoint (host_id, address, port, updated_at) "
                    + "VALUES (?, ?, ?, CURRENT_TIMESTAMP)").params(node, address, port).update();
        }
    }

    public Optional<ReplicationEndpoint> endpoint(long node) {
        return jdbc.sql("SELECT address, port FROM mirror_node_endpoint WHERE host_id = ?").param(node)
                .query((rs, n) -> new ReplicationEndpoint(rs.getString(1), rs.getInt(2))).optional();
    }

    private static String generationColumn(Leg leg) {
        return leg == Leg.A ? "leg_a_generation" : "leg_b_generation";
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static MirrorRow row(ResultSet rs, int n) throws SQLException {
        return new MirrorRow(rs.getLong("id"), rs.getString("name"), rs.getLong("size_bytes"),
                Leg.of(rs.getString("active_leg")), rs.getLong("generation"), rs.getLong("leg_a_generation"),
                rs.getLong("leg_b_generation"), rs.getLong("leg_a_volume_id"), rs.getLong("leg_b_volume_id"),
                rs.getLong("a_node"), rs.getLong("b_node"), rs.getString("a_path"), rs.getString("b_path"),
                leaseLeft(rs), rs.getString("observed_state"), nullableLong(rs, "observed_dirty_bytes"),
                nullableLong(rs, "observed_resync_done"), nullableLong(rs, "observed_resync_total"),
                instant(rs, "observed_at"), instant(rs, "observed_resync_started_at"), instant(rs, "last_failover_at"),
                nullableLong(rs, "last_failover_ms"), rs.getString("last_failover_reason"));
    }

    /** By the database's clock alone: the nodes' clocks never enter into who may take over. */
    private static @Nullable Long leaseLeft(ResultSet rs) throws SQLException {
        Timestamp expires = rs.getTimestamp("lease_expires_at");
        Timestamp now = rs.getTimestamp("db_now");
        return expires == null || now == null ? null : Duration.between(now.toInstant(), expires.toInstant()).toMillis();
    }

    private static @Nullable Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
