package dev.windrose.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Live and historical I/O statistics. One sampler reads the dataplane once per interval (default 1 s)
 * whatever the number of subscribers. Reads need the VIEWER role.
 */
public interface TelemetryService {

    /** The newest sample; empty until two snapshots have been taken (or while no target runs). */
    Optional<ClusterSample> latest();

    /**
     * Calls {@code subscriber} on the sampler thread with every new sample. Subscribers must return
     * quickly and never block (hand the sample to your own executor or {@code UI.access}); one that
     * throws is logged and stays subscribed.
     */
    Subscription subscribe(Consumer<ClusterSample> subscriber);

    /** The live ring: every sample of the last {@code window} (at most 15 minutes), oldest first. */
    List<ClusterSample> recent(Duration window);

    /**
     * A series for one object between {@code from} and {@code to}, one point per {@code step}
     * (at least 1 s). Served from the live ring (1 s points, last 15 minutes), the 10 s history
     * (a day by default) or the 1 min history (30 days), whichever is the finest that covers
     * {@code from} at that step. Intervals without data have no point (gaps, not zeros).
     */
    List<SeriesPoint> history(MetricObject object, Instant from, Instant to, Duration step);
}
