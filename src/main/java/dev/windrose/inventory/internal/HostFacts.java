package dev.windrose.inventory.internal;

import java.util.List;

/** What a host tells about itself at start. */
public record HostFacts(String machineId, String name, List<String> addresses, String osName, String kernel,
        int cpuCores, long memoryBytes, String dataplaneVersion, String dataplaneMode) {
}
