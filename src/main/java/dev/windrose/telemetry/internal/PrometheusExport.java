package dev.windrose.telemetry.internal;

import dev.windrose.dataplane.LatencyHistogram;
import dev.windrose.dataplane.StatsSnapshot;
import dev.windrose.inventory.HostService;
import dev.windrose.security.SystemViewer;
import dev.windrose.storage.PoolInfo;
import dev.windrose.storage.PoolService;
import dev.windrose.telemetry.ClusterSample;
import dev.windrose.telemetry.ReactorSample;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Component;

/**
 * The dataplane's counters at {@code /actuator/prometheus}, read from the sampler's newest snapshot
 * (no extra read of the dataplane per scrape): counters since the target started (a restart resets
 * them, which Prometheus' rate() understands), latency as a classic histogram, gauges for pool
 * capacity and reactor busy share.
 *
 * <p>Latency buckets: the dataplane's log-linear buckets are 1/16 of a power of two wide; Prometheus
 * gets every eighth boundary (1 and 1.5 times each power of two from 2^10 ns ≈ 1 µs to 2^34 ns ≈ 17 s),
 * and {@code le} of each is exactly the boundary of a dataplane bucket, so every cumulative count is
 * exact: the completions faster than that boundary. (Prometheus reads {@code le} as "≤"; a completion
 * of exactly that many nanoseconds counts in the next bucket, a one-nanosecond difference.) There is
 * no {@code _sum}: the dataplane does not add up latencies and an estimate would be presented as a fact.
 *
 * <p>Every series carries a {@code node} label, the name of the node exporting it (each node of a cluster
 * exports its own dataplane only): a Prometheus that scrapes every node tells them apart by it.
 */
@Component
class PrometheusExport implements MultiCollector {

    private static final Logger log = LoggerFactory.getLogger(PrometheusExport.class);
    private static final int[] BOUNDARIES = boundaries();
    /** The label value of a series that stands for every pool or namespace (anonymous scrapes). */
    static final String ALL = "all";

    private final TelemetrySampler sampler;
    private final PoolService pools;
    private final HostService hosts;
    private volatile String nodeName = "";

    private final ObjectProvider<SecurityContextHolderStrategy> strategies;

    PrometheusExport(TelemetrySampler sampler, PoolService pools, HostService hosts,
            ObjectProvider<PrometheusMeterRegistry> registry, ObjectProvider<SecurityContextHolderStrategy> strategies) {
        this.sampler = sampler;
        this.pools = pools;
        this.hosts = hosts;
        this.strategies = strategies;
        registry.ifAvailable(r -> r.getPrometheusRegistry().register(this));
    }

    @Override
    public MetricSnapshots collect() {
        List<io.prometheus.metrics.model.snapshots.MetricSnapshot> metrics = new ArrayList<>();
        // Subsystem NQNs and pool names are user data: only a scrape with an API token sees them; an
        // anonymous one gets the same series summed over those labels (totals per direction, host, type).
        boolean named = scrapedWithToken();
        Labels node = Labels.of("node", nodeName());
        sampler.lastSnapshot().ifPresent(snapshot -> namespaceMetrics(named ? snapshot : totalled(snapshot), node,
                metrics));
        sampler.latestInternally().ifPresent(sample -> metrics.add(reactorBusy(sample, node)));
        poolMetrics(metrics, named, node);
        return new MetricSnapshots(metrics);
    }

    /** This node's name as the console shows it; the last one read if the database does not answer. */
    private String nodeName() {
        try {
            nodeName = hosts.local().name();
        } catch (RuntimeException e) {
            log.debug("The node label keeps its last value: {}", e.toString());
        }
        return nodeName;
    }

    /** A scrape runs on the request's thread: its authentication is the scraper's (anonymous without a token). */
    private boolean scrapedWithToken() {
        Authentication caller = strategies.getIfAvailable(SecurityContextHolder::getContextHolderStrategy).getContext()
                .getAuthentication();
        return caller != null && caller.isAuthenticated() && !(caller instanceof AnonymousAuthenticationToken);
    }

    /** All namespaces as one, labelled "all": no NQN in the labels. */
    private static StatsSnapshot totalled(StatsSnapshot snapshot) {
        if (snapshot.namespaces().isEmpty()) {
            return snapshot;
        }
        StatsSnapshot.Namespace total = null;
        for (StatsSnapshot.Namespace ns : snapshot.namespaces()) {
            total = total == null ? new StatsSnapshot.Namespace(ALL, 0, ns.read(), ns.write(), ns.otherOps(),
                    ns.otherErrors()) : new StatsSnapshot.Namespace(ALL, 0, sum(total.read(), ns.read()),
                    sum(total.write(), ns.write()), total.otherOps() + ns.otherOps(),
                    total.otherErrors() + ns.otherErrors());
        }
        return new StatsSnapshot(snapshot.targetEpoch(), snapshot.timestampNanos(), snapshot.reactors(), List.of(total),
                snapshot.queuePairs());
    }

    private static StatsSnapshot.Direction sum(StatsSnapshot.Direction a, StatsSnapshot.Direction b) {
        long[] counts = a.latency().counts().clone();
        long[] more = b.latency().counts();
        for (int i = 0; i < counts.length && i < more.length; i++) {
            counts[i] += more[i];
        }
        return new StatsSnapshot.Direction(a.ops() + b.ops(), a.bytes() + b.bytes(), a.errors() + b.errors(),
                LatencyHistogram.of(counts));
    }

    private static void namespaceMetrics(StatsSnapshot snapshot, Labels node,
            List<io.prometheus.metrics.model.snapshots.MetricSnapshot> out) {
        CounterSnapshot.Builder ops = CounterSnapshot.builder().name("windrose_namespace_ops")
                .help("Commands completed on a namespace since the target started");
        CounterSnapshot.Builder bytes = CounterSnapshot.builder().name("windrose_namespace_bytes").unit(Unit.BYTES)
                .help("Bytes read or written on a namespace since the target started");
        CounterSnapshot.Builder errors = CounterSnapshot.builder().name("windrose_namespace_errors")
                .help("Commands on a namespace that completed with an error status since the target started");
        HistogramSnapshot.Builder latency = HistogramSnapshot.builder().name("windrose_namespace_latency_seconds")
                .help("Completion latency of reads and writes on a namespace since the target started");
        for (StatsSnapshot.Namespace ns : snapshot.namespaces()) {
            for (String direction : List.of("read", "write")) {
                StatsSnapshot.Direction d = direction.equals("read") ? ns.read() : ns.write();
                Labels labels = labels(ns, direction).merge(node);
                ops.dataPoint(counter(labels, d.ops()));
                bytes.dataPoint(counter(labels, d.bytes()));
                errors.dataPoint(counter(labels, d.errors()));
                latency.dataPoint(HistogramDataPointSnapshot.builder().labels(labels)
                        .classicHistogramBuckets(buckets(d.latency().counts())).build());
            }
            Labels other = labels(ns, "other").merge(node);
            ops.dataPoint(counter(other, ns.otherOps()));
            errors.dataPoint(counter(other, ns.otherErrors()));
        }
        out.add(ops.build());
        out.add(bytes.build());
        out.add(errors.build());
        out.add(latency.build());
        CounterSnapshot.Builder busy = CounterSnapshot.builder().name("windrose_reactor_busy_seconds")
                .help("Time a reactor spent polling with progress since the target started");
        CounterSnapshot.Builder idle = CounterSnapshot.builder().name("windrose_reactor_idle_seconds")
                .help("Time a reactor spent polling without progress or sleeping since the target started");
        for (StatsSnapshot.Reactor reactor : snapshot.reactors()) {
            Labels labels = Labels.of("reactor", Integer.toString(reactor.reactorId())).merge(node);
            busy.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(reactor.busyNanos() / 1e9).build());
            idle.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(reactor.idleNanos() / 1e9).build());
        }
        out.add(busy.build());
        out.add(idle.build());
    }

    private static io.prometheus.metrics.model.snapshots.MetricSnapshot reactorBusy(ClusterSample sample, Labels node) {
        GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name("windrose_reactor_busy_ratio")
                .help("Share of the last sample interval a reactor was busy (0..1)");
        for (ReactorSample reactor : sample.reactors()) {
            gauge.dataPoint(GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("host", reactor.hostId().toString(), "reactor", Integer.toString(reactor.reactorId())).merge(node))
                    .value(reactor.busyPercent() / 100.0).build());
        }
        return gauge.build();
    }

    private void poolMetrics(List<io.prometheus.metrics.model.snapshots.MetricSnapshot> out, boolean named,
            Labels node) {
        List<PoolInfo> list;
        try {
            list = SystemViewer.read(() -> pools.list(null, null, PageRequest.of(0, 1000)).getContent());
        } catch (RuntimeException e) {
            // A scrape still delivers the dataplane's counters when the database does not answer.
            log.debug("Pools left out of the metrics: {}", e.toString());
            return;
        }
        GaugeSnapshot.Builder capacity = GaugeSnapshot.builder().name("windrose_pool_capacity_bytes")
                .help("What a pool's media hold");
        GaugeSnapshot.Builder allocated = GaugeSnapshot.builder().name("windrose_pool_allocated_bytes")
                .help("The sum of a pool's volume sizes");
        GaugeSnapshot.Builder used = GaugeSnapshot.builder().name("windrose_pool_used_bytes")
                .help("What a pool's volumes really take (absent when it cannot be measured)");
        Map<Labels, double[]> sums = new LinkedHashMap<>();
        for (PoolInfo pool : list) {
            Labels labels = named
                    ? Labels.of("pool", pool.name(), "host", pool.hostId().toString(), "type", pool.type().name()).merge(node)
                    : Labels.of("pool", ALL, "host", pool.hostId().toString(), "type", pool.type().name()).merge(node);
            double[] sum = sums.computeIfAbsent(labels, key -> new double[] {0, 0, 0, 0});
            sum[0] += pool.capacityBytes();
            sum[1] += pool.allocatedBytes();
            if (pool.usedBytes() != null) {
                sum[2] += pool.usedBytes();
                sum[3]++;
            }
        }
        sums.forEach((labels, sum) -> {
            capacity.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(sum[0]).build());
            allocated.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(sum[1]).build());
            if (sum[3] > 0) {
                used.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(sum[2]).build());
            }
        });
        out.add(capacity.build());
        out.add(allocated.build());
        out.add(used.build());
    }

    private static CounterDataPointSnapshot counter(Labels labels, long value) {
        // Counters are unsigned 64-bit in the dataplane.
        double unsigned = value >= 0 ? value : value + 0x1p64;
        return CounterDataPointSnapshot.builder().labels(labels).value(unsigned).build();
    }

    private static Labels labels(StatsSnapshot.Namespace ns, String direction) {
        return Labels.of("subsystem", ns.subsystemNqn(), "nsid", Integer.toString(ns.nsid()), "direction", direction);
    }

    /** Dataplane bucket counts regrouped at {@link #BOUNDARIES}, plus +Inf. */
    static ClassicHistogramBuckets buckets(long[] counts) {
        double[] upperBounds = new double[BOUNDARIES.length + 1];
        long[] grouped = new long[BOUNDARIES.length + 1];
        int next = 0;
        for (int i = 0; i < BOUNDARIES.length; i++) {
            upperBounds[i] = LatencyHistogram.bucketLowerNanos(BOUNDARIES[i]) / 1e9;
            for (; next < BOUNDARIES[i]; next++) {
                grouped[i] += counts[next];
            }
        }
        upperBounds[BOUNDARIES.length] = Double.POSITIVE_INFINITY;
        for (; next < counts.length; next++) {
            grouped[BOUNDARIES.length] += counts[next];
        }
        return ClassicHistogramBuckets.of(upperBounds, grouped);
    }

    /** Dataplane bucket indexes whose lower bound is 1 or 1.5 times a power of two, 2^10 .. 2^34 ns. */
    private static int[] boundaries() {
        List<Integer> chosen = new ArrayList<>();
        for (int bucket = 0; bucket < LatencyHistogram.BUCKETS; bucket++) {
            long lower = LatencyHistogram.bucketLowerNanos(bucket);
            boolean powerOfTwo = Long.bitCount(lower) == 1;
            boolean oneAndAHalf = lower % 3 == 0 && Long.bitCount(lower / 3) == 1;
            if (lower >= 1L << 10 && lower <= 1L << 34 && (powerOfTwo || oneAndAHalf)) {
                chosen.add(bucket);
            }
        }
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }
}
