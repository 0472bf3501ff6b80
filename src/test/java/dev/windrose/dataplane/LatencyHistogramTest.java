package dev.windrose.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void there_are_528_buckets_as_in_windrose_h() {
        assertThat(LatencyHistogram.BUCKETS).isEqualTo(528).isEqualTo(StatsLayouts.HIST_BUCKETS);
    }

    @Test
    void every_bucket_start_falls_into_its_own_bucket_and_buckets_are_at_most_one_sixteenth_wide() {
        for (int bucket = 0; bucket < LatencyHistogram.BUCKETS; bucket++) {
            long lower = LatencyHistogram.bucketLowerNanos(bucket);
            assertThat(LatencyHistogram.bucketOf(lower)).as("bucket %d starts at %d ns", bucket, lower).isEqualTo(bucket);
            if (bucket > 16 && bucket + 1 < LatencyHistogram.BUCKETS) {
                long width = LatencyHistogram.bucketLowerNanos(bucket + 1) - lower;
                assertThat(width * 16).isLessThanOrEqualTo(lower);
            }
        }
        assertThat(LatencyHistogram.bucketOf(1L << 40)).isEqualTo(LatencyHistogram.BUCKETS - 1);
    }

    @Test
    void quantiles_come_from_the_cumulative_counts() {
        long[] counts = new long[LatencyHistogram.BUCKETS];
        counts[LatencyHistogram.bucketOf(10_000)] = 98;
        counts[LatencyHistogram.bucketOf(1_000_000)] = 2;
        LatencyHistogram histogram = new LatencyHistogram(counts);

        assertThat(histogram.count()).isEqualTo(100);
        assertThat(histogram.quantileNanos(0.5)).isBetween(9_400L, 10_000L);
        assertThat(histogram.quantileNanos(0.98)).isBetween(9_400L, 10_000L);
        assertThat(histogram.quantileNanos(0.99)).isBetween(940_000L, 1_000_000L);
        assertThat(new LatencyHistogram(new long[LatencyHistogram.BUCKETS]).quantileNanos(0.99)).isZero();
    }
}
