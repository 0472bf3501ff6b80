package dev.windrose.telemetry;

import dev.windrose.inventory.HostId;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One node's newest one-second sample as this node knows it: written by that node to PostgreSQL, read here
 * when PostgreSQL notifies (or at the next poll).
 *
 * @param sampledAt         when that node took the sample (its clock)
 * @param receivedAt        when this node had it (this node's clock); equal to {@code sampledAt} for this node's own
 * @param arrivalDelayMillis {@code receivedAt - sampledAt}: how long the sample took to reach this node
 * @param dataplaneUp       whether that node's NVMe/TCP target was running; when not, the rates are zero
 * @param dataplaneProblem  why it is not running, in that node's words; null while it runs
 * @param latency           reads and writes together; null when the interval had no I/O
 */
public record NodeSample(HostId hostId, String nodeName, Instant sampledAt, Instant receivedAt,
        long arrivalDelayMillis, Duration interval, boolean dataplaneUp, @Nullable String dataplaneProblem,
        double readIops, double writeIops, double readMiBps, double writeMiBps, @Nullable Latency latency,
        long errors) {

    public double totalIops() {
        return readIops + writeIops;
    }

    public double totalMiBps() {
        return readMiBps + writeMiBps;
    }

    /** Whether the sample is older than {@code limit} at {@code now} (the node stopped sampling or writing). */
    public boolean staleAt(Instant now, Duration limit) {
        return sampledAt.plus(limit).isBefore(now);
    }
}
