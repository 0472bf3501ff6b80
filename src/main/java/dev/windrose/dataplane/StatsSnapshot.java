package dev.windrose.dataplane;

import java.util.List;

/**
 * One consistent read of the target's counters. Counters only grow during a target's life; a new
 * {@code targetEpoch} means a new target (counters started again from zero).
 *
 * @param timestampNanos CLOCK_MONOTONIC when the snapshot was taken
 */
public record StatsSnapshot(long targetEpoch, long timestampNanos, List<Reactor> reactors,
        List<Namespace> namespaces, List<QueuePairStats> queuePairs) {

    public StatsSnapshot {
        reactors = List.copyOf(reactors);
        namespaces = List.copyOf(namespaces);
        queuePairs = List.copyOf(queuePairs);
    }

    /** A reactor thread: time spent polling with and without progress. */
    public record Reactor(int reactorId, int queuePairs, long busyNanos, long idleNanos, long polls, long sleeps) {
    }

    public record Namespace(String subsystemNqn, int nsid, Direction read, Direction write, long otherOps,
            long otherErrors) {
    }

    /** Reads or writes of a namespace, with the completion-latency histogram. */
    public record Direction(long ops, long bytes, long errors, LatencyHistogram latency) {
    }
}
