package dev.windrose.onboarding;

import dev.windrose.storage.VolumeId;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the subsystem step builds in one go: a subsystem, the volumes as its namespaces, a TCP listener
 * per address (all on one port) and the allowed host, or any host for a trial.
 *
 * @param hostNqn the first host's NQN; may be null only when any host may connect
 */
public record SubsystemPlan(String nqn, List<VolumeId> volumes, List<String> addresses, int port,
        @Nullable String hostNqn, boolean allowAnyHost) {

    public SubsystemPlan {
        volumes = List.copyOf(volumes);
        addresses = List.copyOf(addresses);
    }
}
