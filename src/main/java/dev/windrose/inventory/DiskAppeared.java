package dev.windrose.inventory;

/** Published when a rescan finds a disk that was not there before (or comes back). */
public record DiskAppeared(DiskId disk, HostId host, String name, String devicePath) {
}
