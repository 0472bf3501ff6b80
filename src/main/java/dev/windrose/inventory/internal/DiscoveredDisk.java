package dev.windrose.inventory.internal;

import dev.windrose.inventory.DiskTransport;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A block device as sysfs and procfs describe it.
 *
 * @param identity what names this disk across reboots (see {@link DiskIdentity}); the kernel name does not
 * @param inUseReasons why the system uses the disk; empty when it is free
 * @param nvmeController the NVMe controller ({@code nvme0}) behind a namespace, for health
 */
public record DiscoveredDisk(String name, String devicePath, String identity, @Nullable String model, @Nullable String serial,
        @Nullable String firmware, DiskTransport transport, boolean rotational, long sizeBytes,
        int logicalBlockSize, int physicalBlockSize, List<String> inUseReasons, @Nullable String nvmeController) {

    DiscoveredDisk withIdentity(String other) {
        return new DiscoveredDisk(name, devicePath, other, model, serial, firmware, transport, rotational, sizeBytes,
                logicalBlockSize, physicalBlockSize, inUseReasons, nvmeController);
    }

    public @Nullable String inUseReason() {
        return inUseReasons.isEmpty() ? null : String.join("; ", inUseReasons);
    }
}
