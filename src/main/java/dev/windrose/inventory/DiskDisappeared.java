package dev.windrose.inventory;

/** Published when a rescan no longer finds a disk that was there. */
public record DiskDisappeared(DiskId disk, HostId host, String name, String devicePath) {
}
