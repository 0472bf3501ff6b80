package dev.windrose.dataplane;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How to start an NVMe/TCP target.
 *
 * @param reactors reactor threads, 1..64
 * @param cpuList CPUs to pin reactors to, e.g. "2,3" or "0-3"; null or empty for no pinning
 * @param limits handshake timeouts and connection caps, in force before the first listener
 * @param controllerIds the CNTLIDs this target hands out (disjoint per node of a cluster)
 * @param anaTransitionTime ANATT, 1 s .. 255 s in whole seconds: Identify Controller says it, and a group
 *     left in ANA change longer turns inaccessible by itself
 */
public record TargetOptions(int reactors, PollMode mode, @Nullable String cpuList, ConnectionLimits limits,
        ControllerIdRange controllerIds, Duration anaTransitionTime) {

    public TargetOptions(int reactors, PollMode mode, @Nullable String cpuList) {
        this(reactors, mode, cpuList, ConnectionLimits.DEFAULTS);
    }

    public TargetOptions(int reactors, PollMode mode, @Nullable String cpuList, ConnectionLimits limits) {
        this(reactors, mode, cpuList, limits, ControllerIdRange.ALL, DEFAULT_ANA_TRANSITION_TIME);
    }

    public static final int MAX_REACTORS = 64;
    /** The library's default ANATT (WR_DEFAULT_ANATT_S). */
    public static final Duration DEFAULT_ANA_TRANSITION_TIME = Duration.ofSeconds(10);
    static final Duration MAX_ANA_TRANSITION_TIME = Duration.ofSeconds(255);

    public TargetOptions {
        if (reactors < 1 || reactors > MAX_REACTORS) {
            throw new IllegalArgumentException("reactors must be 1.." + MAX_REACTORS + ", not " + reactors);
        }
        if (limits == null) {
            limits = ConnectionLimits.DEFAULTS;
        }
        if (controllerIds == null) {
            controllerIds = ControllerIdRange.ALL;
        }
        if (anaTransitionTime == null) {
            anaTransitionTime = DEFAULT_ANA_TRANSITION_TIME;
        }
        if (anaTransitionTime.compareTo(Duration.ofSeconds(1)) < 0
                || anaTransitionTime.compareTo(MAX_ANA_TRANSITION_TIME) > 0
                || anaTransitionTime.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("ana-transition-time must be whole seconds from 1s to 255s, not "
                    + anaTransitionTime);
        }
    }

    /** One adaptive reactor, unpinned: right for a laptop or CI. */
    public static TargetOptions adaptive(int reactors) {
        return new TargetOptions(reactors, PollMode.ADAPTIVE, null);
    }
}
