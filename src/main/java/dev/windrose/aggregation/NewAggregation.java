package dev.windrose.aggregation;

import org.jspecify.annotations.Nullable;

/** An aggregation to create; listener null uses the embedded target's own address and port. */
public record NewAggregation(Proposal proposal, @Nullable Endpoint listener) {
}
