package dev.windrose.aggregation;

import java.util.List;

/**
 * What a change of an aggregation would do, checked before anything changes.
 *
 * @param findings the platform's rules on the aggregation as it would be, and what Windrose cannot change
 * @param plan the capacity plan of the aggregation as it would be
 * @param allowed no finding is an error
 * @param changes each step in words, in the order it is made ("Add member node3 with 4 drives.")
 * @param connectedMembers members whose host is connected now and would lose its connections (removed, or
 *     given another host NQN): the change then needs {@code force}
 */
public record ChangeReview(List<Finding> findings, CapacityPlan plan, boolean allowed, List<String> changes,
        List<String> connectedMembers) {

    public ChangeReview {
        findings = List.copyOf(findings);
        changes = List.copyOf(changes);
        connectedMembers = List.copyOf(connectedMembers);
    }
}
