package dev.windrose.inventory;

/** Where a disk comes from. */
public enum DiskKind {
    /** A block device found in /sys/block. */
    BLOCK,
    /** A file-backed disk an administrator created for labs and demos. */
    LAB
}
