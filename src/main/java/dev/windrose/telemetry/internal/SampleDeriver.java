package dev.windrose.telemetry.internal;

import dev.windrose.dataplane.QueuePairStats;
import dev.windrose.dataplane.StatsSnapshot;
import dev.windrose.inventory.HostId;
import dev.windrose.telemetry.ClusterSample;
import dev.windrose.telemetry.HostSample;
import dev.windrose.telemetry.MetricObject;
import dev.windrose.telemetry.NamespaceSample;
import dev.windrose.telemetry.ReactorSample;
import dev.windrose.telemetry.SubsystemSample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The arithmetic of sampling: from two consecutive snapshots of one host's target to rates per
 * namespace, subsystem, host and cluster. Pure: no clock, no I/O, so it is tested directly.
 */
final class SampleDeriver {

    /** Namespaces are identified by subsystem NQN and NSID in the snapshot. */
    private record NamespaceKey(String nqn, int nsid) {
    }

    private record QueuePairKey(String nqn, int controllerId, int queueId, Instant connectedAt) {
    }

    /**
     * A sample and the raw increments it was derived from, for rollups that must merge histograms
     * rather than average percentiles.
     *
     * @param increments per object (every namespace, subsystem, the host and the cluster)
     * @param queuePairErrors errors on each subsystem's queue pairs during the interval
     */
    record Derived(ClusterSample sample, double seconds, Map<MetricObject, Counters> increments,
            Map<String, Long> queuePairErrors) {
    }

    private SampleDeriver() {
    }

    /**
     * Rates between {@code before} and {@code now}; empty when there is nothing to compare with: no
     * earlier snapshot, a new target (another epoch: its counters restarted, so a difference would be
     * meaningless — the next interval measures again), or no time passed.
     */
    static Optional<Derived> derive(@Nullable StatsSnapshot before, StatsSnapshot now, Instant timestamp,
            HostId hostId, String hostName) {
        if (before == null || before.targetEpoch() != now.targetEpoch()
                || now.timestampNanos() <= before.timestampNanos()) {
            return Optional.empty();
        }
        double seconds = (now.timestampNanos() - before.timestampNanos()) / 1e9;
        Map<NamespaceKey, StatsSnapshot.Namespace> previous = new HashMap<>();
        before.namespaces().forEach(ns -> previous.put(new NamespaceKey(ns.subsystemNqn(), ns.nsid()), ns));

        Map<MetricObject, Counters> increments = new LinkedHashMap<>();
        Counters host = new Counters();
        Map<String, Counters> subsystems = new TreeMap<>();
        List<NamespaceSample> namespaces = new ArrayList<>();
        for (StatsSnapshot.Namespace ns : sortedNamespaces(now)) {
            // A namespace that appeared since the last snapshot started counting from zero within the interval.
            Counters delta = Counters.between(previous.get(new NamespaceKey(ns.subsystemNqn(), ns.nsid())), ns);
            namespaces.add(new NamespaceSample(ns.subsystemNqn(), ns.nsid(), delta.rates(seconds)));
            increments.put(new MetricObject.Namespace(ns.subsystemNqn(), ns.nsid()), delta);
            subsystems.computeIfAbsent(ns.subsystemNqn(), nqn -> new Counters()).add(delta);
            host.add(delta);
        }
        List<SubsystemSample> subsystemSamples = new ArrayList<>();
        subsystems.forEach((nqn, counters) -> {
            subsystemSamples.add(new SubsystemSample(nqn, counters.rates(seconds)));
            increments.put(new MetricObject.Subsystem(nqn), counters);
        });
        List<ReactorSample> reactors = reactors(before, now, hostId);
        double busy = busyPercent(before, now);
        HostSample hostSample = new HostSample(hostId, hostName, host.rates(seconds), busy);
        increments.put(new MetricObject.Host(hostId), host);
        // One target per node: until nodes share their samples, the cluster is this host.
        increments.put(MetricObject.cluster(), host);
        ClusterSample sample = new ClusterSample(timestamp, Duration.ofNanos(now.timestampNanos() - before.timestampNanos()),
                host.rates(seconds), subsystemSamples, namespaces, List.of(hostSample), reactors);
        return Optional.of(new Derived(sample, seconds, increments, queuePairErrors(before, now)));
    }

    private static List<StatsSnapshot.Namespace> sortedNamespaces(StatsSnapshot snapshot) {
        return snapshot.namespaces().stream()
                .sorted(Comparator.comparing(StatsSnapshot.Namespace::subsystemNqn)
                        .thenComparingInt(StatsSnapshot.Namespace::nsid))
                .toList();
    }

    private static List<ReactorSample> reactors(StatsSnapshot before, StatsSnapshot now, HostId hostId) {
        Map<Integer, StatsSnapshot.Reactor> previous = new HashMap<>();
        before.reactors().forEach(r -> previous.put(r.reactorId(), r));
        return now.reactors().stream()
                .sorted(Comparator.comparingInt(StatsSnapshot.Reactor::reactorId))
                .map(r -> new ReactorSample(hostId, r.reactorId(), r.queuePairs(),
                        percent(busyNanos(previous.get(r.reactorId()), r), totalNanos(previous.get(r.reactorId()), r))))
                .toList();
    }

    /** The host's reactors together: busy time over all their time. */
    private static double busyPercent(StatsSnapshot before, StatsSnapshot now) {
        Map<Integer, StatsSnapshot.Reactor> previous = new HashMap<>();
        before.reactors().forEach(r -> previous.put(r.reactorId(), r));
        long busy = 0;
        long total = 0;
        for (StatsSnapshot.Reactor reactor : now.reactors()) {
            busy += busyNanos(previous.get(reactor.reactorId()), reactor);
            total += totalNanos(previous.get(reactor.reactorId()), reactor);
        }
        return percent(busy, total);
    }

    private static long busyNanos(StatsSnapshot.@Nullable Reactor before, StatsSnapshot.Reactor now) {
        return increment(before == null ? 0 : before.busyNanos(), now.busyNanos());
    }

    private static long totalNanos(StatsSnapshot.@Nullable Reactor before, StatsSnapshot.Reactor now) {
        return busyNanos(before, now) + increment(before == null ? 0 : before.idleNanos(), now.idleNanos());
    }

    private static double percent(long part, long whole) {
        return whole <= 0 ? 0 : Math.min(100.0, part * 100.0 / whole);
    }

    /** A counter's increment modulo 2^64; one that went back restarted from zero. */
    static long increment(long before, long now) {
        long difference = now - before;
        return difference >= 0 ? difference : Math.max(0, now);
    }

    /** Queue pairs come and go with connections; a new one counted from zero within the interval. */
    private static Map<String, Long> queuePairErrors(StatsSnapshot before, StatsSnapshot now) {
        Map<QueuePairKey, QueuePairStats> previous = new HashMap<>();
        before.queuePairs().forEach(q -> previous.put(key(q), q));
        Map<String, Long> errors = new TreeMap<>();
        for (QueuePairStats queuePair : now.queuePairs()) {
            QueuePairStats earlier = previous.get(key(queuePair));
            long delta = increment(earlier == null ? 0 : earlier.errors(), queuePair.errors());
            errors.merge(queuePair.subsystemNqn(), delta, Long::sum);
        }
        return errors;
    }

    private static QueuePairKey key(QueuePairStats queuePair) {
        return new QueuePairKey(queuePair.subsystemNqn(), queuePair.controllerId(), queuePair.queueId(),
                queuePair.connectedAt());
    }
}
