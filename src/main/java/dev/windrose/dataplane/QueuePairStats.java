package dev.windrose.dataplane;

import java.time.Instant;

/** Counters of one queue pair (qid 0 is the admin queue), from wr_qpair_stats. */
public record QueuePairStats(String subsystemNqn, String hostNqn, String peerAddress, int controllerId, int queueId,
        int reactorId, Instant connectedAt, long readOps, long readBytes, long writeOps, long writeBytes,
        long otherOps, long readErrors, long writeErrors, long otherErrors) {

    /** Commands of this queue pair that completed with an error status, whatever their direction. */
    public long errors() {
        return readErrors + writeErrors + otherErrors;
    }
}
