package dev.windrose.telemetry;

/** A namespace of a subsystem on the dataplane, during one sample interval. */
public record NamespaceSample(String subsystemNqn, int nsid, IoRates rates) {

    public MetricObject object() {
        return new MetricObject.Namespace(subsystemNqn, nsid);
    }
}
