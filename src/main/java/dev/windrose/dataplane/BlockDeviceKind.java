package dev.windrose.dataplane;

/** What backs a namespace (enum wr_bdev_kind). */
public enum BlockDeviceKind {
    /** Reads zeroes, drops writes: for benchmarks. */
    NULL(0),
    /** Memory of the given size: for labs and tests. */
    RAM(1),
    /** A file or block device at a path; size 0 means the file's size, otherwise create or extend. */
    FILE(2),
    /**
     * Bytes [offset, offset + size) of a file or block device: an extent of a disk-pool volume. Never
     * created or extended; nothing outside the range is touched. Served by wr_ns_add_extent.
     */
    EXTENT(2);

    final int code;

    BlockDeviceKind(int code) {
        this.code = code;
    }
}
