package dev.windrose.dataplane;

import org.jspecify.annotations.Nullable;

/**
 * How to start an NVMe/TCP target.
 *
 * @param reactors reactor threads, 1..64
 * @param cpuList CPUs to pin reactors to, e.g. "2,3" or "0-3"; null or empty for no pinning
 */
public record TargetOptions(int reactors, PollMode mode, @Nullable String cpuList) {

    public static final int MAX_REACTORS = 64;

    public TargetOptions {
        if (reactors < 1 || reactors > MAX_REACTORS) {
            throw new IllegalArgumentException("reactors must be 1.." + MAX_REACTORS + ", not " + reactors);
        }
    }

    /** One adaptive reactor, unpinned: right for a laptop or CI. */
    public static TargetOptions adaptive(int reactors) {
        return new TargetOptions(reactors, PollMode.ADAPTIVE, null);
    }
}
