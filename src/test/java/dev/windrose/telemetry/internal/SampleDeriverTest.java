package dev.windrose.telemetry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.windrose.dataplane.LatencyHistogram;
import dev.windrose.dataplane.QueuePairStats;
import dev.windrose.dataplane.StatsSnapshot;
import dev.windrose.inventory.HostId;
import dev.windrose.telemetry.ClusterSample;
import dev.windrose.telemetry.IoRates;
import dev.windrose.telemetry.MetricObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The arithmetic from two snapshots to rates: wraps, restarts, namespaces coming and going, silence. */
class SampleDeriverTest {

    static final String A = "nqn.2026-11.dev.windrose:a";
    static final String B = "nqn.2026-11.dev.windrose:b";
    static final HostId HOST = new HostId(1);
    static final long SECOND = 1_000_000_000L;
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void rates_are_increments_over_the_elapsed_time() {
        StatsSnapshot before = snapshot(1, 0, namespace(A, 1, read(1000, 4096_000, micros(100, 1000)), idle()));
        StatsSnapshot now = snapshot(1, 2 * SECOND,
                namespace(A, 1, read(3000, 4096_000 * 3, micros(100, 1000), micros(200, 1000)), idle()));

        ClusterSample sample = derive(before, now).sample();

        IoRates rates = sample.namespaces().getFirst().rates();
        assertThat(rates.readIops()).isEqualTo(1000.0);
        assertThat(rates.readMiBps()).isCloseTo(4096_000 * 2 / 1048576.0 / 2, within(1e-9));
        assertThat(rates.writeIops()).isZero();
        // Only the interval's completions count: the 1000 old ones at 100 µs are gone, all new ones took 200 µs...
        assertThat(rates.readLatency()).isNotNull();
        assertThat(rates.readLatency().p50Micros()).isCloseTo(200, within(200 * 0.0625));
        assertThat(sample.interval().toMillis()).isEqualTo(2000);
    }

    @Test
    void percentiles_of_an_aggregate_come_from_merged_histograms_not_averages() {
        // Namespace 1: 990 fast reads (10 µs); namespace 2: 10 slow ones (5 ms). Averaging their p99s
        // would give ~2.5 ms; the subsystem's true p99 over 1000 reads is the fast one... and p99.9 the slow one.
        StatsSnapshot before = snapshot(1, 0, namespace(A, 1, idle(), idle()), namespace(A, 2, idle(), idle()));
        StatsSnapshot now = snapshot(1, SECOND,
                namespace(A, 1, read(990, 990 * 4096, micros(10, 990)), idle()),
                namespace(A, 2, read(10, 10 * 4096, micros(5000, 10)), idle()));

        ClusterSample sample = derive(before, now).sample();

        IoRates subsystem = sample.rates(new MetricObject.Subsystem(A)).orElseThrow();
        assertThat(subsystem.readIops()).isEqualTo(1000.0);
        assertThat(subsystem.readLatency().p99Micros()).isCloseTo(10, within(1.0));
        assertThat(subsystem.readLatency().p999Micros()).isCloseTo(5000, within(5000 * 0.0625));
        assertThat(sample.namespaces().get(1).rates().readLatency().p99Micros()).isCloseTo(5000, within(5000 * 0.0625));
    }

    @Test
    void a_counter_that_wraps_past_two_to_the_64_still_gives_the_increment() {
        long nearTheEnd = -100; // 2^64 - 100 as an unsigned counter
        StatsSnapshot before = snapshot(1, 0, namespace(A, 1, read(nearTheEnd, nearTheEnd), idle()));
        StatsSnapshot now = snapshot(1, SECOND, namespace(A, 1, read(400, 400), idle()));

        IoRates rates = derive(before, now).sample().namespaces().getFirst().rates();

        assertThat(rates.readIops()).isEqualTo(500.0);
        assertThat(rates.readMiBps()).isCloseTo(500 / 1048576.0, within(1e-12));
    }

    @Test
    void a_counter_crossing_two_to_the_63_is_no_reset() {
        StatsSnapshot before = snapshot(1, 0, namespace(A, 1, read(Long.MAX_VALUE - 9, 0), idle()));
        StatsSnapshot now = snapshot(1, SECOND, namespace(A, 1, read(Long.MIN_VALUE + 10, 0), idle()));

        assertThat(derive(before, now).sample().namespaces().getFirst().rates().readIops()).isEqualTo(20.0);
    }

    @Test
    void a_new_target_epoch_gives_no_sample_and_the_next_interval_measures_again() {
        StatsSnapshot before = snapshot(1, 50 * SECOND, namespace(A, 1, read(1_000_000, 1L << 32), idle()));
        StatsSnapshot restarted = snapshot(2, 51 * SECOND, namespace(A, 1, read(10, 40960), idle()));
        StatsSnapshot later = snapshot(2, 52 * SECOND, namespace(A, 1, read(110, 40960 * 11), idle()));

        assertThat(SampleDeriver.derive(before, restarted, NOW, HOST, "h")).isEmpty();
        IoRates rates = derive(restarted, later).sample().namespaces().getFirst().rates();
        assertThat(rates.readIops()).isEqualTo(100.0);
    }

    @Test
    void a_namespace_reset_within_an_epoch_counts_from_zero_never_negative() {
        // Removed and added again between two snapshots: its counters restarted below the old values.
        StatsSnapshot before = snapshot(1, 0, namespace(A, 1, read(5000, 5000 * 4096, micros(50, 5000)), idle()));
        StatsSnapshot now = snapshot(1, SECOND, namespace(A, 1, read(30, 30 * 4096, micros(80, 30)), idle()));

        IoRates rates = derive(before, now).sample().namespaces().getFirst().rates();

        assertThat(rates.readIops()).isEqualTo(30.0);
        assertThat(rates.readMiBps()).isPositive();
        assertThat(rates.readLatency().p50Micros()).isCloseTo(80, within(5.0));
    }

    @Test
    void namespaces_that_appear_count_from_zero_and_those_that_vanish_drop_out() {
        StatsSnapshot before = snapshot(1, 0, namespace(A, 1, read(100, 100), idle()));
        StatsSnapshot now = snapshot(1, SECOND, namespace(B, 7, idle(), write(40, 40 * 8192, micros(30, 40))));

        ClusterSample sample = derive(before, now).sample();

        assertThat(sample.namespaces()).extracting(n -> n.subsystemNqn() + "/" + n.nsid()).containsExactly(B + "/7");
        assertThat(sample.subsystems()).extracting(s -> s.nqn()).containsExactly(B);
        assertThat(sample.cluster().writeIops()).isEqualTo(40.0);
        assertThat(sample.cluster().readIops()).isZero();
        assertThat(sample.rates(new MetricObject.Namespace(A, 1))).isEmpty();
    }

    @Test
    void an_interval_without_io_has_zero_rates_and_no_latency_rather_than_zero_latency() {
        StatsSnapshot before = snapshot(1, 0, namespace(A, 1, read(100, 409600, micros(90, 100)), idle()));
        StatsSnapshot now = snapshot(1, SECOND, namespace(A, 1, read(100, 409600, micros(90, 100)), idle()));

        IoRates rates = derive(before, now).sample().cluster();

        assertThat(rates.totalIops()).isZero();
        assertThat(rates.readLatency()).isNull();
        assertThat(rates.writeLatency()).isNull();
        assertThat(rates.latency()).isNull();
    }

    @Test
    void no_earlier_snapshot_or_no_elapsed_time_gives_no_sample() {
        StatsSnapshot now = snapshot(1, SECOND, namespace(A, 1, idle(), idle()));
        assertThat(SampleDeriver.derive(null, now, NOW, HOST, "h")).isEmpty();
        assertThat(SampleDeriver.derive(now, now, NOW, HOST, "h")).isEmpty();
    }

    @Test
    void reactor_busy_share_comes_from_busy_and_idle_increments() {
        StatsSnapshot before = new StatsSnapshot(1, 0, List.of(reactor(0, 0, 0), reactor(1, 0, 0)), List.of(), List.of());
        StatsSnapshot now = new StatsSnapshot(1, SECOND,
                List.of(reactor(0, SECOND / 4, 3 * SECOND / 4), reactor(1, 3 * SECOND / 4, SECOND / 4)), List.of(), List.of());

        ClusterSample sample = derive(before, now).sample();

        assertThat(sample.reactors()).extracting(r -> r.busyPercent()).containsExactly(25.0, 75.0);
        assertThat(sample.hosts().getFirst().reactorBusyPercent()).isEqualTo(50.0);
    }

    @Test
    void queue_pair_errors_are_increments_per_subsystem_and_new_connections_count_from_zero() {
        Instant connected = Instant.parse("2026-11-25T11:00:00Z");
        StatsSnapshot before = new StatsSnapshot(1, 0, List.of(), List.of(),
                List.of(queuePair(A, 1, 1, connected, 5)));
        StatsSnapshot now = new StatsSnapshot(1, SECOND, List.of(), List.of(),
                List.of(queuePair(A, 1, 1, connected, 8), queuePair(A, 2, 1, connected.plusSeconds(3000), 2),
                        queuePair(B, 3, 1, connected, 0)));

        assertThat(derive(before, now).queuePairErrors()).containsEntry(A, 5L).containsEntry(B, 0L);
    }

    // --- building snapshots

    static SampleDeriver.Derived derive(StatsSnapshot before, StatsSnapshot now) {
        Optional<SampleDeriver.Derived> derived = SampleDeriver.derive(before, now, NOW, HOST, "h");
        assertThat(derived).isPresent();
        return derived.get();
    }

    static StatsSnapshot snapshot(long epoch, long nanos, StatsSnapshot.Namespace... namespaces) {
        return new StatsSnapshot(epoch, nanos, List.of(), List.of(namespaces), List.of());
    }

    static StatsSnapshot.Namespace namespace(String nqn, int nsid, StatsSnapshot.Direction read,
            StatsSnapshot.Direction write) {
        return new StatsSnapshot.Namespace(nqn, nsid, read, write, 0, 0);
    }

    static StatsSnapshot.Direction idle() {
        return read(0, 0);
    }

    static StatsSnapshot.Direction write(long ops, long bytes, long[]... latencies) {
        return read(ops, bytes, latencies);
    }

    /** ops and bytes with a histogram built from (micros, count) pairs. */
    static StatsSnapshot.Direction read(long ops, long bytes, long[]... latencies) {
        long[] counts = new long[LatencyHistogram.BUCKETS];
        for (long[] latency : latencies) {
            counts[bucketOf(latency[0] * 1000)] += latency[1];
        }
        return new StatsSnapshot.Direction(ops, bytes, 0, LatencyHistogram.of(counts));
    }

    static long[] micros(long micros, long count) {
        return new long[] {micros, count};
    }

    static int bucketOf(long nanos) {
        int bucket = 0;
        while (bucket + 1 < LatencyHistogram.BUCKETS && LatencyHistogram.bucketLowerNanos(bucket + 1) <= nanos) {
            bucket++;
        }
        return bucket;
    }

    static StatsSnapshot.Reactor reactor(int id, long busy, long idle) {
        return new StatsSnapshot.Reactor(id, 1, busy, idle, 0, 0);
    }

    static QueuePairStats queuePair(String nqn, int controller, int qid, Instant connectedAt, long errors) {
        return new QueuePairStats(nqn, "nqn.host", "127.0.0.1:5000", controller, qid, 0, connectedAt, 0, 0, 0, 0, 0,
                errors, 0, 0);
    }
}
