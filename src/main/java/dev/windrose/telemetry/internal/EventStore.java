package dev.windrose.telemetry.internal;

import dev.windrose.telemetry.AlertRule;
import dev.windrose.telemetry.AlertThresholds;
import dev.windrose.telemetry.EventId;
import dev.windrose.telemetry.EventInfo;
import dev.windrose.telemetry.EventState;
import dev.windrose.telemetry.Severity;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** The event and threshold tables (V0031, V0032). Callers hold the transaction. */
@Repository
class EventStore {

    private final JdbcClient jdbc;

    EventStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Events of a rule that are not cleared: at most one per object. */
    List<EventInfo> active(AlertRule rule) {
        return jdbc.sql("SELECT * FROM telemetry_event WHERE rule = ? AND state <> 'CLEARED' ORDER BY id")
                .param(rule.name()).query((rs, row) -> event(rs)).list();
    }

    Optional<EventInfo> find(EventId id) {
        return jdbc.sql("SELECT * FROM telemetry_event WHERE id = ?").param(id.value())
                .query((rs, row) -> event(rs)).optional();
    }

    List<EventInfo> page(@Nullable EventState state, int offset, int limit) {
        String where = state == null ? "" : " WHERE state = '" + state.name() + "'";
        return jdbc.sql("SELECT * FROM telemetry_event" + where + " ORDER BY raised_at DESC, id DESC LIMIT ? OFFSET ?")
                .params(limit, offset).query((rs, row) -> event(rs)).list();
    }

    long count(@Nullable EventState state) {
        String where = state == null ? "" : " WHERE state = '" + state.name() + "'";
        return jdbc.sql("SELECT COUNT(*) FROM telemetry_event" + where).query(Long.class).single();
    }

    EventId raise(AlertRule rule, Severity severity, String objectKey, String objectName, String message, Instant at) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                INSERT INTO telemetry_event (rule, severity, object_key, object_name, message, state, raised_at, last_seen_at)
                VALUES (?, ?, ?, ?, ?, 'OPEN', ?, ?)""")
                .params(rule.name(), severity.name(), objectKey, cut(objectName, 255), cut(message, 1000), utc(at), utc(at))
                .update(keys, "id");
        return new EventId(keys.getKeyAs(Long.class));
    }

    void stillHolds(EventId id, Severity severity, String message, Instant at) {
        jdbc.sql("UPDATE telemetry_event SET severity = ?, message = ?, last_seen_at = ? WHERE id = ?")
                .params(severity.name(), cut(message, 1000), utc(at), id.value()).update();
    }

    void clear(EventId id, Instant at) {
        jdbc.sql("UPDATE telemetry_event SET state = 'CLEARED', cleared_at = ? WHERE id = ?")
                .params(utc(at), id.value()).update();
    }

    /** OPEN → ACKNOWLEDGED; false when it was not OPEN (already acknowledged or cleared). */
    boolean acknowledge(EventId id, String by, Instant at) {
        return jdbc.sql("""
                UPDATE telemetry_event SET state = 'ACKNOWLEDGED', acknowledged_at = ?, acknowledged_by = ?
                WHERE id = ? AND state = 'OPEN'""")
                .params(utc(at), cut(by, 64), id.value()).update() == 1;
    }

    AlertThresholds thresholds() {
        return jdbc.sql("SELECT * FROM alert_thresholds WHERE id = 1").query((rs, row) -> new AlertThresholds(
                rs.getInt("pool_warning_percent"), rs.getInt("pool_critical_percent"),
                nullableLong(rs, "latency_p99_micros"), nullableLong(rs, "queue_pair_errors_per_minute"),
                rs.getBoolean("host_heartbeat"), rs.getBoolean("disk_health"), rs.getBoolean("reconciliation_errors")))
                .optional().orElse(AlertThresholds.DEFAULTS);
    }

    void saveThresholds(AlertThresholds t, String by, Instant at) {
        jdbc.sql("""
                UPDATE alert_thresholds SET pool_warning_percent = ?, pool_critical_percent = ?, latency_p99_micros = ?,
                    queue_pair_errors_per_minute = ?, host_heartbeat = ?, disk_health = ?, reconciliation_errors = ?,
                    updated_at = ?, updated_by = ?
                WHERE id = 1""")
                .params(t.poolWarningPercent(), t.poolCriticalPercent(), t.latencyP99Micros(),
                        t.queuePairErrorsPerMinute(), t.hostHeartbeat(), t.diskHealth(), t.reconciliationErrors(),
                        utc(at), cut(by, 64))
                .update();
    }

    private static @Nullable Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static EventInfo event(ResultSet rs) throws SQLException {
        return new EventInfo(new EventId(rs.getLong("id")), AlertRule.valueOf(rs.getString("rule")),
                Severity.valueOf(rs.getString("severity")), rs.getString("object_key"), rs.getString("object_name"),
                rs.getString("message"), EventState.valueOf(rs.getString("state")), instant(rs, "raised_at"),
                instant(rs, "last_seen_at"), nullableInstant(rs, "acknowledged_at"), rs.getString("acknowledged_by"),
                nullableInstant(rs, "cleared_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static @Nullable Instant nullableInstant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
