package dev.windrose.telemetry;

/**
 * Completion-latency percentiles over an interval, in microseconds, taken from the merged histogram
 * of the interval (never an average of percentiles). Accurate to the histogram's bucket width (≤ 6.25 %).
 */
public record Latency(double p50Micros, double p99Micros, double p999Micros) {
}
