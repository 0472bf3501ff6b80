package dev.windrose.telemetry.internal;

import dev.windrose.telemetry.IoRates;
import dev.windrose.telemetry.Latency;
import dev.windrose.telemetry.MetricObject;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The history tables (V0030): points per object and resolution, written in batches, read by range. */
@Repository
class HistoryStore {

    private static final String INSERT = """
            INSERT INTO telemetry_point (object_id, resolution_seconds, ends_at, covered_seconds, read_iops, write_iops,
                read_mibps, write_mibps, read_p50_us, read_p99_us, read_p999_us, write_p50_us, write_p99_us,
                write_p999_us, p50_us, p99_us, p999_us, errors)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final Map<String, Long> objectIds = new ConcurrentHashMap<>();

    HistoryStore(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /** Stores one point per object of a finished rollup step. */
    @Transactional
    public void write(Rollup.Window window) {
        List<Object[]> rows = new ArrayList<>(window.rates().size());
        int resolution = (int) window.step().toSeconds();
        OffsetDateTime endsAt = utc(window.endsAt());
        window.rates().forEach((object, rates) -> rows.add(row(objectId(object.key()), resolution, endsAt,
                window.coveredSeconds(), rates)));
        int[] types = {Types.BIGINT, Types.INTEGER, Types.TIMESTAMP_WITH_TIMEZONE, Types.REAL, Types.REAL, Types.REAL,
                Types.REAL, Types.REAL, Types.REAL, Types.REAL, Types.REAL, Types.REAL, Types.REAL, Types.REAL,
                Types.REAL, Types.REAL, Types.REAL, Types.BIGINT};
        template.batchUpdate(INSERT, rows, types);
    }

    /** Points of one object and resolution with {@code from < endsAt <= to}, oldest first. */
    @Transactional(readOnly = true)
    public List<StoredPoint> read(MetricObject object, Duration resolution, Instant from, Instant to) {
        Optional<Long> id = knownObjectId(object.key());
        if (id.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                SELECT * FROM telemetry_point WHERE object_id = ? AND resolution_seconds = ? AND ends_at > ?
                AND ends_at <= ? ORDER BY ends_at""")
                .params(id.get(), (int) resolution.toSeconds(), utc(from), utc(to))
                .query((rs, row) -> point(rs))
                .list();
    }

    /** Deletes points of a resolution that ended before {@code cutoff}; returns how many. */
    @Transactional
    public int deleteOlderThan(Duration resolution, Instant cutoff) {
        return jdbc.sql("DELETE FROM telemetry_point WHERE resolution_seconds = ? AND ends_at < ?")
                .params((int) resolution.toSeconds(), utc(cutoff))
                .update();
    }

    private long objectId(String key) {
        Long known = objectIds.get(key);
        if (known != null) {
            return known;
        }
        long id = knownObjectId(key).orElseGet(() -> insertObject(key));
        objectIds.put(key, id);
        return id;
    }

    private long insertObject(String key) {
        try {
            jdbc.sql("INSERT INTO telemetry_object (object_key) VALUES (?)").param(key).update();
        } catch (DuplicateKeyException anotherNodeWasFaster) {
            // Another node named the same object at the same moment: its row serves us as well.
        }
        return knownObjectId(key).orElseThrow();
    }

    private Optional<Long> knownObjectId(String key) {
        Long cached = objectIds.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        return jdbc.sql("SELECT id FROM telemetry_object WHERE object_key = ?").param(key).query(Long.class).optional();
    }

    private static Object[] row(long objectId, int resolution, OffsetDateTime endsAt, double covered, IoRates rates) {
        return new Object[] {objectId, resolution, endsAt, (float) covered, (float) rates.readIops(),
                (float) rates.writeIops(), (float) rates.readMiBps(), (float) rates.writeMiBps(),
                p50(rates.readLatency()), p99(rates.readLatency()), p999(rates.readLatency()),
                p50(rates.writeLatency()), p99(rates.writeLatency()), p999(rates.writeLatency()),
                p50(rates.latency()), p99(rates.latency()), p999(rates.latency()), rates.errors()};
    }

    private static @Nullable Float p50(@Nullable Latency latency) {
        return latency == null ? null : (float) latency.p50Micros();
    }

    private static @Nullable Float p99(@Nullable Latency latency) {
        return latency == null ? null : (float) latency.p99Micros();
    }

    private static @Nullable Float p999(@Nullable Latency latency) {
        return latency == null ? null : (float) latency.p999Micros();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static StoredPoint point(ResultSet rs) throws SQLException {
        IoRates rates = new IoRates(rs.getFloat("read_iops"), rs.getFloat("write_iops"), rs.getFloat("read_mibps"),
                rs.getFloat("write_mibps"), latency(rs, "read_"), latency(rs, "write_"), latency(rs, ""),
                rs.getLong("errors"));
        return new StoredPoint(rs.getObject("ends_at", OffsetDateTime.class).toInstant(), rs.getFloat("covered_seconds"),
                rates);
    }

    private static @Nullable Latency latency(ResultSet rs, String prefix) throws SQLException {
        float p50 = rs.getFloat(prefix + "p50_us");
        if (rs.wasNull()) {
            return null;
        }
        return new Latency(p50, rs.getFloat(prefix + "p99_us"), rs.getFloat(prefix + "p999_us"));
    }
}
