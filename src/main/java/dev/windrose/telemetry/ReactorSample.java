package dev.windrose.telemetry;

import dev.windrose.inventory.HostId;

/**
 * A reactor thread during one sample interval.
 *
 * @param busyPercent share of its time spent polling with progress, 0..100
 */
public record ReactorSample(HostId hostId, int reactorId, int queuePairs, double busyPercent) {
}
