package dev.windrose.inventory;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A disk of a host.
 *
 * @param identity what names the disk across reboots ({@code wwid:…}, {@code serial:…}, {@code file:…}); a
 *     {@code name:} identity is only the kernel name, which may change
 * @param inUseReason why the system itself uses the disk (OS, mount, swap, LVM...); null when it does not
 * @param claimedBy the Windrose pool that owns the disk; null when none does
 */
public record DiskInfo(DiskId id, HostId hostId, String hostName, String name, DiskKind kind, String devicePath,
        String identity, @Nullable String model, @Nullable String serial, @Nullable String firmware,
        DiskTransport transport, boolean rotational, long sizeBytes, int logicalBlockSize, int physicalBlockSize,
        @Nullable String inUseReason, @Nullable String claimedBy, DiskHealth health, boolean present,
        Instant firstSeenAt, Instant lastSeenAt) {

    /** A disk may go into a pool only when it is there, unused by the system and by any pool. */
    public boolean eligible() {
        return present && inUseReason == null && claimedBy == null;
    }

    /** Why the disk cannot be chosen for a pool, or null when it can. */
    public @Nullable String ineligibleReason() {
        if (!present) {
            return "The disk is missing since the last rescan.";
        }
        if (inUseReason != null) {
            return "In use: " + inUseReason;
        }
        if (claimedBy != null) {
            return "Belongs to pool " + claimedBy;
        }
        return null;
    }
}
