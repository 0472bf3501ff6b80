package dev.windrose.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the sampler derived from two consecutive statistics snapshots: rates over {@code interval}
 * ending at {@code timestamp}. Lists are sorted (namespaces by NQN then NSID, subsystems by NQN,
 * hosts by id, reactors by host and id); objects without a dataplane counterpart do not appear.
 *
 * @param cluster everything together
 */
public record ClusterSample(Instant timestamp, Duration interval, IoRates cluster, List<SubsystemSample> subsystems,
        List<NamespaceSample> namespaces, List<HostSample> hosts, List<ReactorSample> reactors) {

    public ClusterSample {
        subsystems = List.copyOf(subsystems);
        namespaces = List.copyOf(namespaces);
        hosts = List.copyOf(hosts);
        reactors = List.copyOf(reactors);
    }

    /** The rates of any object in this sample; empty when the object was not seen in it. */
    public Optional<IoRates> rates(MetricObject object) {
        return switch (object) {
            case MetricObject.Cluster _ -> Optional.of(cluster);
            case MetricObject.Host host -> hosts.stream().filter(h -> h.hostId().equals(host.hostId()))
                    .map(HostSample::rates).findFirst();
            case MetricObject.Subsystem subsystem -> subsystems.stream()
                    .filter(s -> s.nqn().equals(subsystem.nqn())).map(SubsystemSample::rates).findFirst();
            case MetricObject.Namespace namespace -> namespaces.stream()
                    .filter(n -> n.subsystemNqn().equals(namespace.subsystemNqn()) && n.nsid() == namespace.nsid())
                    .map(NamespaceSample::rates).findFirst();
        };
    }
}
