package dev.windrose.telemetry;

import org.jspecify.annotations.Nullable;

/**
 * I/O of one object over one interval.
 *
 * @param readLatency  null when nothing was read in the interval (absent, not zero)
 * @param writeLatency null when nothing was written in the interval
 * @param latency      reads and writes together; null when there was no read or write
 * @param errors       commands that completed with an error status during the interval (any direction)
 */
public record IoRates(double readIops, double writeIops, double readMiBps, double writeMiBps,
        @Nullable Latency readLatency, @Nullable Latency writeLatency, @Nullable Latency latency, long errors) {

    public static final IoRates IDLE = new IoRates(0, 0, 0, 0, null, null, null, 0);

    public double totalIops() {
        return readIops + writeIops;
    }

    public double totalMiBps() {
        return readMiBps + writeMiBps;
    }
}
