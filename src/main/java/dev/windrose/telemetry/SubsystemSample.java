package dev.windrose.telemetry;

/** All namespaces of a subsystem together, during one sample interval. */
public record SubsystemSample(String nqn, IoRates rates) {

    public MetricObject object() {
        return new MetricObject.Subsystem(nqn);
    }
}
