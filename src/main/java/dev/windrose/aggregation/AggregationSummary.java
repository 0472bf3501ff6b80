package dev.windrose.aggregation;

import java.time.Instant;

public record AggregationSummary(AggregationId id, String name, Platform platform, int members, Instant createdAt) {
}
