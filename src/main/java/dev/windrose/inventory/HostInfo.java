package dev.windrose.inventory;

import java.time.Instant;
import java.util.List;

/** Everything known about one host. */
public record HostInfo(HostId id, String name, String machineId, List<String> addresses, String osName,
        String kernel, int cpuCores, long memoryBytes, String dataplaneVersion, String dataplaneMode,
        Instant registeredAt, Instant lastHeartbeatAt, HostState state, boolean local) {
}
