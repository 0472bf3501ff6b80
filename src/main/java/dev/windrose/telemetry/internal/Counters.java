package dev.windrose.telemetry.internal;

import dev.windrose.dataplane.LatencyHistogram;
import dev.windrose.dataplane.StatsSnapshot;
import dev.windrose.telemetry.IoRates;
import dev.windrose.telemetry.Latency;
import org.jspecify.annotations.Nullable;

/**
 * What happened to one object over some interval: counter increments and the latency histogram of
 * the completions in it. Increments of several namespaces or intervals add up; histograms merge
 * bucket by bucket, which is what makes percentiles of an aggregate honest. Mutable, confined to the
 * sampler thread.
 */
final class Counters {

    private static final double MIB = 1024.0 * 1024.0;

    long readOps;
    long readBytes;
    long writeOps;
    long writeBytes;
    long errors;
    final long[] readLatency = new long[LatencyHistogram.BUCKETS];
    final long[] writeLatency = new long[LatencyHistogram.BUCKETS];

    /**
     * The increments of one namespace from {@code before} to {@code now}. Counters are unsigned 64-bit
     * and may wrap: the difference modulo 2^64 is the increment. A counter that went back (signed
     * difference below zero) was reset with its namespace (removed and added again within the
     * interval), so everything counts from zero: the whole of {@code now} is the increment.
     */
    static Counters between(StatsSnapshot.@Nullable Namespace before, StatsSnapshot.Namespace now) {
        Counters delta = of(now);
        if (before == null) {
            return delta;
        }
        Counters previous = of(before);
        if (wentBack(previous, delta)) {
            return delta;
        }
        delta.readOps -= previous.readOps;
        delta.readBytes -= previous.readBytes;
        delta.writeOps -= previous.writeOps;
        delta.writeBytes -= previous.writeBytes;
        delta.errors -= previous.errors;
        for (int i = 0; i < LatencyHistogram.BUCKETS; i++) {
            delta.readLatency[i] -= previous.readLatency[i];
            delta.writeLatency[i] -= previous.writeLatency[i];
        }
        return delta;
    }

    private static boolean wentBack(Counters before, Counters now) {
        if (now.readOps - before.readOps < 0 || now.writeOps - before.writeOps < 0
                || now.readBytes - before.readBytes < 0 || now.writeBytes - before.writeBytes < 0
                || now.errors - before.errors < 0) {
            return true;
        }
        for (int i = 0; i < LatencyHistogram.BUCKETS; i++) {
            if (now.readLatency[i] - before.readLatency[i] < 0 || now.writeLatency[i] - before.writeLatency[i] < 0) {
                return true;
            }
        }
        return false;
    }

    /** A namespace's counters since its start, as increments from zero. */
    static Counters of(StatsSnapshot.Namespace namespace) {
        Counters counters = new Counters();
        counters.readOps = namespace.read().ops();
        counters.readBytes = namespace.read().bytes();
        counters.writeOps = namespace.write().ops();
        counters.writeBytes = namespace.write().bytes();
        counters.errors = namespace.read().errors() + namespace.write().errors() + namespace.otherErrors();
        long[] read = namespace.read().latency().counts();
        long[] write = namespace.write().latency().counts();
        System.arraycopy(read, 0, counters.readLatency, 0, LatencyHistogram.BUCKETS);
        System.arraycopy(write, 0, counters.writeLatency, 0, LatencyHistogram.BUCKETS);
        return counters;
    }

    void add(Counters other) {
        readOps += other.readOps;
        readBytes += other.readBytes;
        writeOps += other.writeOps;
        writeBytes += other.writeBytes;
        errors += other.errors;
        for (int i = 0; i < LatencyHistogram.BUCKETS; i++) {
            readLatency[i] += other.readLatency[i];
            writeLatency[i] += other.writeLatency[i];
        }
    }

    /** Rates over {@code seconds}; a latency is absent (null) when no completion fell into its histogram. */
    IoRates rates(double seconds) {
        long[] both = new long[LatencyHistogram.BUCKETS];
        for (int i = 0; i < both.length; i++) {
            both[i] = readLatency[i] + writeLatency[i];
        }
        return new IoRates(readOps / seconds, writeOps / seconds, readBytes / MIB / seconds, writeBytes / MIB / seconds,
                latency(readLatency), latency(writeLatency), latency(both), errors);
    }

    static @Nullable Latency latency(long[] histogram) {
        long total = 0;
        for (long count : histogram) {
            total += count;
        }
        if (total <= 0) {
            return null;
        }
        return new Latency(quantileMicros(histogram, total, 0.5), quantileMicros(histogram, total, 0.99),
                quantileMicros(histogram, total, 0.999));
    }

    /**
     * The lower bound of the bucket holding the quantile, as the dataplane's own
     * {@link LatencyHistogram#quantileNanos} does: never above the true value, at most one bucket
     * width (6.25 %) below it.
     */
    private static double quantileMicros(long[] histogram, long total, double quantile) {
        long rank = Math.max(1, (long) Math.ceil(quantile * total));
        long seen = 0;
        for (int bucket = 0; bucket < histogram.length; bucket++) {
            seen += histogram[bucket];
            if (seen >= rank) {
                return LatencyHistogram.bucketLowerNanos(bucket) / 1000.0;
            }
        }
        return LatencyHistogram.bucketLowerNanos(histogram.length - 1) / 1000.0;
    }
}
