package dev.windrose.telemetry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windrose.telemetry.AlertRule;
import dev.windrose.telemetry.AlertThresholds;
import dev.windrose.telemetry.EventId;
import dev.windrose.telemetry.EventInfo;
import dev.windrose.telemetry.EventState;
import dev.windrose.telemetry.IoRates;
import dev.windrose.telemetry.Latency;
import dev.windrose.telemetry.MetricObject;
import dev.windrose.telemetry.Severity;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The history and event tables through their stores, on the database of the context (H2 here, the
 * real PostgreSQL server in {@link TelemetryStoresPostgresTest}): points keep nulls as nulls, range
 * reads are exclusive-inclusive, retention deletes only what is old, events go through their states.
 */
@SpringBootTest(properties = {"windrose.test-context=telemetry-stores", "windrose.telemetry.enabled=false"})
@ActiveProfiles("test")
class TelemetryStoresTest {

    @Autowired
    HistoryStore history;
    @Autowired
    EventStore events;
    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void points_are_written_per_object_and_read_back_by_range_with_absent_latency_kept_absent() {
        String nqn = "nqn.2026-11.dev.windrose.test:" + UUID.randomUUID();
        MetricObject busy = new MetricObject.Namespace(nqn, 1);
        MetricObject idle = new MetricObject.Namespace(nqn, 2);
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < 3; i++) {
            Map<MetricObject, IoRates> rates = new LinkedHashMap<>();
            rates.put(busy, new IoRates(1000 + i, 10, 3.9, 0.04, new Latency(50, 120, 400), new Latency(70, 300, 900),
                    new Latency(52, 200, 800), i));
            rates.put(idle, IoRates.IDLE);
            history.write(new Rollup.Window(t.plusSeconds(10L * i), Duration.ofSeconds(10), 10, rates, Map.of()));
        }

        List<StoredPoint> points = history.read(busy, Duration.ofSeconds(10), t, t.plusSeconds(20));

        assertThat(points).extracting(StoredPoint::endsAt).containsExactly(t.plusSeconds(10), t.plusSeconds(20));
        StoredPoint first = points.getFirst();
        assertThat(first.seconds()).isEqualTo(10.0);
        assertThat(first.rates().readIops()).isEqualTo(1001.0);
        assertThat(first.rates().errors()).isEqualTo(1);
        assertThat(first.rates().writeLatency()).isEqualTo(new Latency(70, 300, 900));
        List<StoredPoint> quiet = history.read(idle, Duration.ofSeconds(10), t.minusSeconds(1), t.plusSeconds(20));
        assertThat(quiet).hasSize(3).allSatisfy(p -> {
            assertThat(p.rates().latency()).isNull();
            assertThat(p.rates().readLatency()).isNull();
            assertThat(p.rates().totalIops()).isZero();
        });
        assertThat(history.read(busy, Duration.ofMinutes(1), t.minusSeconds(1), t.plusSeconds(20))).isEmpty();
        assertThat(history.read(new MetricObject.Subsystem(nqn), Duration.ofSeconds(10), t.minusSeconds(1), t.plusSeconds(20)))
                .isEmpty();
    }

    @Test
    void retention_deletes_points_of_a_resolution_older_than_the_cutoff_only() {
        MetricObject object = new MetricObject.Subsystem("nqn.2026-11.dev.windrose.test:" + UUID.randomUUID());
        Instant old = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        Instant recent = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (Instant at : List.of(old, recent)) {
            history.write(new Rollup.Window(at, Duration.ofSeconds(10), 10, Map.of(object, IoRates.IDLE), Map.of()));
            history.write(new Rollup.Window(at, Duration.ofMinutes(1), 60, Map.of(object, IoRates.IDLE), Map.of()));
        }

        history.deleteOlderThan(Duration.ofSeconds(10), Instant.now().minus(Duration.ofDays(1)));

        Instant from = old.minusSeconds(1);
        assertThat(history.read(object, Duration.ofSeconds(10), from, recent)).extracting(StoredPoint::endsAt)
                .containsExactly(recent);
        assertThat(history.read(object, Duration.ofMinutes(1), from, recent)).extracting(StoredPoint::endsAt)
                .containsExactly(old, recent);
    }

    @Test
    void an_event_goes_from_open_to_acknowledged_to_cleared_and_only_once_acknowledged() {
        TransactionTemplate tx = new TransactionTemplate(transactions);
        String key = "pool:" + UUID.randomUUID();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        EventId id = tx.execute(s -> events.raise(AlertRule.POOL_USAGE, Severity.WARNING, key, "fast", "85% used", at));

        List<EventInfo> active = tx.execute(s -> events.active(AlertRule.POOL_USAGE));
        assertThat(active).extracting(EventInfo::objectKey).contains(key);
        tx.executeWithoutResult(s -> events.stillHolds(id, Severity.CRITICAL, "95% used", at.plusSeconds(15)));
        Boolean first = tx.execute(s -> events.acknowledge(id, "operator1", at.plusSeconds(20)));
        Boolean second = tx.execute(s -> events.acknowledge(id, "operator2", at.plusSeconds(25)));
        assertThat(first).isTrue();
        assertThat(second).isFalse();
        tx.executeWithoutResult(s -> events.clear(id, at.plusSeconds(30)));

        EventInfo event = tx.execute(s -> events.find(id).orElseThrow());
        assertThat(event.state()).isEqualTo(EventState.CLEARED);
        assertThat(event.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(event.message()).isEqualTo("95% used");
        assertThat(event.acknowledgedBy()).isEqualTo("operator1");
        assertThat(event.raisedAt()).isEqualTo(at);
        assertThat(event.lastSeenAt()).isEqualTo(at.plusSeconds(15));
        assertThat(event.clearedAt()).isEqualTo(at.plusSeconds(30));
        List<EventInfo> stillActive = tx.execute(s -> events.active(AlertRule.POOL_USAGE));
        List<EventInfo> cleared = tx.execute(s -> events.page(EventState.CLEARED, 0, 500));
        assertThat(stillActive).extracting(EventInfo::objectKey).doesNotContain(key);
        assertThat(cleared).extracting(EventInfo::id).contains(id);
    }

    @Test
    void thresholds_start_at_the_defaults_and_keep_a_switched_off_rule_as_null() {
        TransactionTemplate tx = new TransactionTemplate(transactions);
        AlertThresholds initial = tx.execute(s -> events.thresholds());
        assertThat(initial).isEqualTo(AlertThresholds.DEFAULTS);
        AlertThresholds changed = new AlertThresholds(70, 95, null, 5L, false, true, false);
        try {
            tx.executeWithoutResult(s -> events.saveThresholds(changed, "admin", Instant.now()));
            AlertThresholds stored = tx.execute(s -> events.thresholds());
            assertThat(stored).isEqualTo(changed);
        } finally {
            tx.executeWithoutResult(s -> events.saveThresholds(AlertThresholds.DEFAULTS, "admin", Instant.now()));
        }
    }
}
