package dev.windrose.fabric;

/** What the reconciler last saw of an object on the dataplane. */
public enum ObservedState {
    /** Stored, not (yet) on the dataplane: just changed, or waiting for the target or its parent. */
    PENDING,
    /** The dataplane serves it as stored. */
    APPLIED,
    /** The dataplane refused it; the last error says why. Retried at the next reconciliation. */
    FAILED,
    /**
     * The node that serves it is offline (issue 15): what it last observed is unknown now, and nothing is
     * wrong with the object itself. It becomes what that node observes when it is back.
     */
    UNREACHABLE
}
