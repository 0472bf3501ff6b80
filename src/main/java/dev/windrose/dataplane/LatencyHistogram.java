package dev.windrose.dataplane;

import java.util.Arrays;

/**
 * The dataplane's log-linear latency histogram (windrose.h, wr_hist_bucket): below 16 ns one bucket
 * per nanosecond, above that every power of two split into 16 buckets, so a bucket is at most
 * 6.25 % wide relative to its value.
 */
public final class LatencyHistogram {

    static final int SUB_BITS = 4;
    static final int MAX_BITS = 36;
    /** How many buckets a histogram has. */
    public static final int BUCKETS = (MAX_BITS - SUB_BITS + 1) << SUB_BITS;

    private final long[] counts;

    LatencyHistogram(long[] counts) {
        if (counts.length != BUCKETS) {
            throw new IllegalArgumentException("a latency histogram has " + BUCKETS + " buckets, not " + counts.length);
        }
        this.counts = counts.clone();
    }

    /** A histogram from bucket counts indexed as in wr_hist_bucket (e.g. telemetry's deltas, or tests). */
    public static LatencyHistogram of(long[] counts) {
        return new LatencyHistogram(counts);
    }

    public long count() {
        return Arrays.stream(counts).sum();
    }

    /** Bucket counts, index as in wr_hist_bucket. */
    public long[] counts() {
        return counts.clone();
    }

    /**
     * The lower bound (ns) of the bucket holding the given quantile, e.g. 0.99 for p99; 0 when the
     * histogram is empty. Accurate to the bucket width (≤ 6.25 %).
     */
    public long quantileNanos(double quantile) {
        if (quantile < 0 || quantile > 1) {
            throw new IllegalArgumentException("quantile must be within 0..1, not " + quantile);
        }
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * total));
        long seen = 0;
        for (int bucket = 0; bucket < BUCKETS; bucket++) {
            seen += counts[bucket];
            if (seen >= rank) {
                return bucketLowerNanos(bucket);
            }
        }
        return bucketLowerNanos(BUCKETS - 1);
    }

    /** Smallest value (ns) that falls into bucket i: wr_hist_bucket_lower_ns. */
    public static long bucketLowerNanos(int bucket) {
        int sub = 1 << SUB_BITS;
        if (bucket < sub) {
            return bucket;
        }
        int group = bucket >> SUB_BITS;
        int msb = group + SUB_BITS - 1;
        return (1L << msb) + ((long) (bucket & (sub - 1)) << (msb - SUB_BITS));
    }

    /** The bucket of a value (ns): wr_hist_bucket. */
    static int bucketOf(long nanos) {
        int sub = 1 << SUB_BITS;
        if (nanos < sub) {
            return (int) Math.max(0, nanos);
        }
        if (nanos >= (1L << MAX_BITS)) {
            return BUCKETS - 1;
        }
        int msb = 63 - Long.numberOfLeadingZeros(nanos);
        int shift = msb - SUB_BITS;
        return ((msb - SUB_BITS + 1) << SUB_BITS) + (int) ((nanos >> shift) & (sub - 1));
    }
}
