package dev.windrose.telemetry.internal;

import static dev.windrose.telemetry.internal.SampleDeriverTest.A;
import static dev.windrose.telemetry.internal.SampleDeriverTest.HOST;
import static dev.windrose.telemetry.internal.SampleDeriverTest.SECOND;
import static dev.windrose.telemetry.internal.SampleDeriverTest.idle;
import static dev.windrose.telemetry.internal.SampleDeriverTest.micros;
import static dev.windrose.telemetry.internal.SampleDeriverTest.namespace;
import static dev.windrose.telemetry.internal.SampleDeriverTest.read;
import static dev.windrose.telemetry.internal.SampleDeriverTest.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.windrose.dataplane.StatsSnapshot;
import dev.windrose.telemetry.IoRates;
import dev.windrose.telemetry.Latency;
import dev.windrose.telemetry.MetricObject;
import dev.windrose.telemetry.SeriesPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Downsampling by merging increments, and regrouping stored points into steps. */
class RollupTest {

    @Test
    void a_ten_second_step_merges_its_samples_histograms_and_is_handed_out_when_the_next_step_begins() {
        Rollup rollup = new Rollup(Duration.ofSeconds(10));
        Instant start = Instant.parse("2026-11-25T12:00:00Z");
        List<Rollup.Window> finished = new ArrayList<>();
        // Ten one-second samples: nine with 100 reads at 10 µs, one with 100 reads at 2 ms.
        long ops = 0;
        long[] fast = micros(10, 0);
        long[] slow = micros(2000, 0);
        StatsSnapshot before = snapshot(1, 0, namespace(A, 1, idle(), idle()));
        for (int second = 1; second <= 11; second++) {
            ops += 100;
            if (second == 5) {
                slow = micros(2000, slow[1] + 100);
            } else {
                fast = micros(10, fast[1] + 100);
            }
            StatsSnapshot now = snapshot(1, second * SECOND, namespace(A, 1, read(ops, ops * 4096, fast, slow), idle()));
            SampleDeriver.Derived derived = SampleDeriver.derive(before, now, start.plusSeconds(second), HOST, "h")
                    .orElseThrow();
            rollup.add(derived).ifPresent(finished::add);
            before = now;
        }

        assertThat(finished).hasSize(1);
        Rollup.Window window = finished.getFirst();
        assertThat(window.endsAt()).isEqualTo(start.plusSeconds(10));
        assertThat(window.coveredSeconds()).isCloseTo(10.0, within(1e-9));
        IoRates rates = window.rates().get(new MetricObject.Namespace(A, 1));
        assertThat(rates.readIops()).isCloseTo(100.0, within(1e-9));
        // 1000 reads, 100 of them slow: p50 fast, p99 slow — as the merged histogram says.
        assertThat(rates.readLatency().p50Micros()).isCloseTo(10, within(1.0));
        assertThat(rates.readLatency().p99Micros()).isCloseTo(2000, within(2000 * 0.0625));
        assertThat(window.rates()).containsKeys(MetricObject.cluster(), new MetricObject.Subsystem(A),
                new MetricObject.Host(HOST));
    }

    @Test
    void regrouping_weights_rates_by_covered_time_adds_errors_and_keeps_the_worst_percentile() {
        Instant t = Instant.parse("2026-11-25T12:00:10Z");
        List<StoredPoint> points = List.of(
                new StoredPoint(t, 10, new IoRates(100, 0, 1, 0, new Latency(10, 20, 30), null, new Latency(10, 20, 30), 1)),
                new StoredPoint(t.plusSeconds(10), 5, new IoRates(400, 0, 4, 0, new Latency(5, 50, 60), null,
                        new Latency(5, 50, 60), 2)),
                new StoredPoint(t.plusSeconds(60), 10, new IoRates(0, 0, 0, 0, null, null, null, 0)));

        List<SeriesPoint> series = Series.regroup(points, Duration.ofMinutes(1));

        assertThat(series).hasSize(2);
        SeriesPoint first = series.getFirst();
        assertThat(first.timestamp()).isEqualTo(Instant.parse("2026-11-25T12:01:00Z"));
        assertThat(first.rates().readIops()).isCloseTo((100 * 10 + 400 * 5) / 15.0, within(1e-9));
        assertThat(first.rates().errors()).isEqualTo(3);
        assertThat(first.rates().readLatency()).isEqualTo(new Latency(10, 50, 60));
        assertThat(first.rates().writeLatency()).isNull();
        assertThat(series.get(1).rates().latency()).isNull();
    }

    @Test
    void a_step_without_samples_gives_no_window() {
        assertThat(new Rollup(Duration.ofSeconds(10)).add(emptyDerived())).isEqualTo(Optional.empty());
    }

    private static SampleDeriver.Derived emptyDerived() {
        StatsSnapshot a = snapshot(1, 0);
        StatsSnapshot b = snapshot(1, SECOND);
        return SampleDeriver.derive(a, b, Instant.parse("2026-11-25T12:00:01Z"), HOST, "h").orElseThrow();
    }
}
