package dev.windrose.dataplane;

import org.jspecify.annotations.Nullable;

/**
 * How to start an NVMe/TCP target.
 *
 * @param reactors reactor threads, 1..64
 * @param cpuList CPUs to pin reactors to, e.g. "2,3" or "0-3"; null or empty for no pinning
 * @param limits handshake timeouts and connection caps, in force before the first listener
 */
public record TargetOptions(int reactors, PollMode mode, @Nullable String cpuList, ConnectionLimits limits) {

    public TargetOptions(int reactors, PollMode mode, @Nullable String cpuList) {
        this(reactors, mode, cpuList, ConnectionLimits.DEFAULTS);
    }

    public static final int MAX_REACTORS = 64;

    public TargetOptions {
        if (reactors < 1 || reactors > MAX_REACTORS) {
            throw new IllegalArgumentException("reactors must be 1.." + MAX_REACTORS + ", not " + reactors);
        }
        if (limits == null) {
            limits = ConnectionLimits.DEFAULTS;
        }
    }

    /** One adaptive reactor, unpinned: right for a laptop or CI. */
    public static TargetOptions adaptive(int reactors) {
        return new TargetOptions(reactors, PollMode.ADAPTIVE, null);
    }
}
