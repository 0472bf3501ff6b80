package dev.windrose.storage;

/** Where a pool's capacity comes from. */
public enum PoolType {
    /** Whole eligible disks of one host; volumes are thick extents; a label on each disk names the pool. */
    DISK,
    /** A directory on a mounted filesystem; volumes are sparse files (thin) or preallocated files (thick). */
    DIRECTORY,
    /** RAM, for demos and benchmarks: the data is gone after a restart. */
    MEMORY;

    /** The provisioning a volume gets when the request names none. */
    public Provisioning defaultProvisioning() {
        return this == DIRECTORY ? Provisioning.THIN : Provisioning.THICK;
    }
}
