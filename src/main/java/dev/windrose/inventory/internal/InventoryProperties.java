package dev.windrose.inventory.internal;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of host and disk discovery ({@code windrose.inventory.*}).
 *
 * @param sysfsRoot where sysfs is mounted; tests point it at a recorded tree
 * @param procfsRoot where procfs is mounted (for {@code self/mountinfo} and {@code swaps})
 * @param devRoot where the device nodes are ({@code /dev}, with {@code disk/by-id}); tests use a directory
 *     of plain files
 * @param heartbeatInterval how often the local host's heartbeat is written; a host is offline after three
 * @param rescanInterval how often disks are rediscovered (besides "Rescan" in the console and the API)
 * @param labDiskDirectory default directory of new lab disks; {@code <data-dir>/lab-disks} when unset
 * @param dataplaneMode the dataplane's poll mode reported for this host ({@code adaptive} or {@code busy})
 * @param smartctl the smartctl program for disk health; looked up on PATH when unset
 */
@ConfigurationProperties(prefix = "windrose.inventory")
public record InventoryProperties(@Nullable Path sysfsRoot, @Nullable Path procfsRoot, @Nullable Path devRoot,
        @Nullable Duration heartbeatInterval, @Nullable Duration rescanInterval, @Nullable Path labDiskDirectory,
        @Nullable String dataplaneMode, @Nullable Path smartctl) {

    public Path sysfs() {
        return sysfsRoot == null ? Path.of("/sys") : sysfsRoot;
    }

    public Path procfs() {
        return procfsRoot == null ? Path.of("/proc") : procfsRoot;
    }

    public Path dev() {
        return devRoot == null ? Path.of("/dev") : devRoot;
    }

    public Duration heartbeat() {
        return heartbeatInterval == null ? Duration.ofSeconds(2) : heartbeatInterval;
    }

    public String mode() {
        return dataplaneMode == null || dataplaneMode.isBlank() ? "adaptive" : dataplaneMode.strip();
    }
}
