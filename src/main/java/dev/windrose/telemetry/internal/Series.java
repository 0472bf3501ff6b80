package dev.windrose.telemetry.internal;

import dev.windrose.telemetry.IoRates;
import dev.windrose.telemetry.Latency;
import dev.windrose.telemetry.SeriesPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Stored points regrouped into steps aligned to the epoch: rates weighted by the time each point
 * covers, errors added up, and for latency the highest of the points' percentiles (stored
 * percentiles cannot be merged any more; the worst one is the honest summary). A step without any
 * point has no point: a gap, not a zero.
 */
final class Series {

    private Series() {
    }

    static List<SeriesPoint> regroup(List<StoredPoint> points, Duration step) {
        long stepMillis = step.toMillis();
        List<SeriesPoint> series = new ArrayList<>();
        List<StoredPoint> bucket = new ArrayList<>();
        long bucketIndex = Long.MIN_VALUE;
        for (StoredPoint point : points) {
            long index = Math.floorDiv(point.endsAt().toEpochMilli() - 1, stepMillis);
            if (index != bucketIndex && !bucket.isEmpty()) {
                series.add(merge(bucket, bucketIndex, step));
                bucket.clear();
            }
            bucketIndex = index;
            bucket.add(point);
        }
        if (!bucket.isEmpty()) {
            series.add(merge(bucket, bucketIndex, step));
        }
        return series;
    }

    private static SeriesPoint merge(List<StoredPoint> points, long index, Duration step) {
        Instant endsAt = Instant.ofEpochMilli((index + 1) * step.toMillis());
        if (points.size() == 1 && points.getFirst().endsAt().equals(endsAt)
                && Math.abs(points.getFirst().seconds() - step.toMillis() / 1000.0) < 0.5) {
            return new SeriesPoint(endsAt, step, points.getFirst().rates());
        }
        double seconds = 0;
        double readIops = 0;
        double writeIops = 0;
        double readMiBps = 0;
        double writeMiBps = 0;
        long errors = 0;
        @Nullable Latency read = null;
        @Nullable Latency write = null;
        @Nullable Latency both = null;
        for (StoredPoint point : points) {
            IoRates rates = point.rates();
            double weight = Math.max(point.seconds(), 1e-9);
            seconds += weight;
            readIops += rates.readIops() * weight;
            writeIops += rates.writeIops() * weight;
            readMiBps += rates.readMiBps() * weight;
            writeMiBps += rates.writeMiBps() * weight;
            errors += rates.errors();
            read = worst(read, rates.readLatency());
            write = worst(write, rates.writeLatency());
            both = worst(both, rates.latency());
        }
        return new SeriesPoint(endsAt, step, new IoRates(readIops / seconds, writeIops / seconds, readMiBps / seconds,
                writeMiBps / seconds, read, write, both, errors));
    }

    private static @Nullable Latency worst(@Nullable Latency a, @Nullable Latency b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return new Latency(Math.max(a.p50Micros(), b.p50Micros()), Math.max(a.p99Micros(), b.p99Micros()),
                Math.max(a.p999Micros(), b.p999Micros()));
    }
}
