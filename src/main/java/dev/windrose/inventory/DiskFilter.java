package dev.windrose.inventory;

import org.jspecify.annotations.Nullable;

/**
 * Narrows a disk listing; every null criterion matches everything.
 *
 * @param text matched case-insensitively against name, model and serial
 * @param eligibleOnly only disks that may go into a pool
 */
public record DiskFilter(@Nullable HostId hostId, @Nullable DiskKind kind, @Nullable DiskTransport transport,
        @Nullable String text, boolean eligibleOnly) {

    public static DiskFilter all() {
        return new DiskFilter(null, null, null, null, false);
    }
}
