package dev.windrose.aggregation;

import dev.windrose.fabric.ObservedState;
import dev.windrose.telemetry.IoRates;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How a member is doing right now.
 *
 * @param subsystemState what the reconciler observed for the member's subsystem; null when the subsystem is gone
 * @param problem why the member cannot be served, in words; null when nothing is wrong on this side
 * @param paths live controllers of the member's host NQN on its subsystem (one per path it connected over)
 * @param peers the addresses those controllers connect from
 * @param namespacesApplied namespaces the dataplane serves, of {@code namespaces}
 * @param rates live I/O of the member's subsystem (IOPS, MiB/s, latency percentiles) from the newest telemetry
 *     sample; null while no telemetry is available or the subsystem was not in the sample
 */
public record MemberStatus(String name, String hostNqn, String subsystemNqn, @Nullable ObservedState subsystemState,
        @Nullable String problem, boolean connected, int paths, List<String> peers, int namespacesApplied,
        int namespaces, @Nullable IoRates rates) {
}
