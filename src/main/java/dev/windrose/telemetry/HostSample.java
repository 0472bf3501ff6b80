package dev.windrose.telemetry;

import dev.windrose.inventory.HostId;

/**
 * One host's dataplane during one sample interval.
 *
 * @param reactorBusyPercent the mean busy share of the host's reactors, 0..100
 */
public record HostSample(HostId hostId, String hostName, IoRates rates, double reactorBusyPercent) {

    public MetricObject object() {
        return new MetricObject.Host(hostId);
    }
}
