package dev.windrose.fabric;

/** What the reconciler last saw of an object on the dataplane. */
public enum ObservedState {
    /** Stored, not (yet) on the dataplane: just changed, or waiting for the target or its parent. */
    PENDING,
    /** The dataplane serves it as stored. */
    APPLIED,
    /** The dataplane refused it; the last error says why. Retried at the next reconciliation. */
    FAILED
}
