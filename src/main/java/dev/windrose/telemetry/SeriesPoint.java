package dev.windrose.telemetry;

import java.time.Duration;
import java.time.Instant;

/**
 * One point of a time series: the rates of an object over {@code step} ending at {@code timestamp}.
 * When a point stands for several stored points, rates are their time-weighted mean and each latency
 * percentile the highest of theirs (percentiles cannot be averaged; the worst one is kept).
 */
public record SeriesPoint(Instant timestamp, Duration step, IoRates rates) {
}
