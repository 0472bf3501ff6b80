/**
 * S2D and vSAN aggregation: a compute cluster whose members each get their own NVMe-oF subsystem with
 * namespaces carved from storage pools, checked against the platform's published rules, with a capacity
 * plan and ready-to-run initiator configuration per member. This package is the module's API:
 * {@link dev.windrose.aggregation.AggregationService}, {@link dev.windrose.aggregation.PlatformRules},
 * {@link dev.windrose.aggregation.CapacityPlanner}, {@link dev.windrose.aggregation.InitiatorConfigs} and
 * their records; entities live in {@code internal}.
 */
@NullMarked
package dev.windrose.aggregation;

import org.jspecify.annotations.NullMarked;
