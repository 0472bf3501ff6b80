package dev.windrose.telemetry;

/** Why an event was raised. An object has at most one event per rule that is not cleared. */
public enum AlertRule {
    /**
     * A pool is running out of space: thin volumes may still claim space and what is written is above
     * the warning share of the capacity. A fully allocated thick pool is not (no write can fail there).
     */
    POOL_USAGE,
    /** A namespace's p99 latency over 10 s is above the bound. */
    LATENCY_P99,
    /** A host missed its heartbeats and is offline. */
    HOST_HEARTBEAT,
    /** A disk reports a health warning or failure. */
    DISK_HEALTH,
    /** A subsystem, namespace, listener or allowed host could not be applied to the dataplane. */
    RECONCILIATION_ERROR,
    /** Commands on a subsystem's queue pairs completed with errors. */
    QUEUE_PAIR_ERRORS,
    /**
     * At start-up, a volume file, a disk pool's map entry or a volume's file disagreed with the database
     * (what a crash can leave); raised once per finding, with what was done about it.
     */
    STORAGE_DISCREPANCY,
    /**
     * A mirrored volume runs on one leg: its partner's leg failed, or a node took over; cleared once the
     * partner is current again.
     */
    MIRROR
}
