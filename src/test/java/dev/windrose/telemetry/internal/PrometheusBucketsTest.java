package dev.windrose.telemetry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.windrose.dataplane.LatencyHistogram;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The conversion of the dataplane's log-linear buckets to Prometheus buckets loses no completion and moves none. */
class PrometheusBucketsTest {

    @Test
    void every_cumulative_count_is_exactly_the_completions_below_its_bound() {
        long[] counts = new long[LatencyHistogram.BUCKETS];
        Random random = new Random(7);
        for (int i = 0; i < counts.length; i++) {
            counts[i] = random.nextInt(5);
        }

        ClassicHistogramBuckets buckets = PrometheusExport.buckets(counts);

        long total = 0;
        for (long count : counts) {
            total += count;
        }
        long cumulative = 0;
        for (int i = 0; i < buckets.size(); i++) {
            cumulative += buckets.getCount(i);
            double bound = buckets.getUpperBound(i);
            if (Double.isInfinite(bound)) {
                assertThat(cumulative).isEqualTo(total);
            } else {
                long below = 0;
                for (int b = 0; b < counts.length; b++) {
                    if (LatencyHistogram.bucketLowerNanos(b) < Math.round(bound * 1e9)) {
                        below += counts[b];
                    }
                }
                assertThat(cumulative).as("le=%s", bound).isEqualTo(below);
            }
        }
        assertThat(buckets.getUpperBound(0)).isEqualTo(1024e-9);
        assertThat(buckets.size()).isEqualTo(2 * 24 + 1 + 1);
    }
}
