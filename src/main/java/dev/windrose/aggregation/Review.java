package dev.windrose.aggregation;

import java.util.List;

/** The rules' findings and the capacity plan of a proposal; allowed when no finding is an error. */
public record Review(List<Finding> findings, CapacityPlan plan, boolean allowed) {
}
