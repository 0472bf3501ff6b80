package dev.windrose.dataplane;

import java.time.Duration;

/**
 * What a peer that reaches the NVMe/TCP port may hold before it is an NVMe host (wr_target_set_limit).
 * A socket must send ICReq within {@code icreqTimeout} and complete the fabrics Connect within
 * {@code connectTimeout} after it, or it is closed; connections over a cap are accepted and closed at
 * once. The target's total is never more than half of the process's open-files limit, whatever
 * {@code maxConnections} says, so the console always keeps descriptors for itself.
 *
 * @param icreqTimeout 100 ms .. 10 min
 * @param connectTimeout 100 ms .. 10 min
 * @param maxConnectionsPerListener 1 .. 1048576
 * @param maxConnectionsPerSource per source IP address, 1 .. 1048576
 * @param maxConnections the whole target; 0 derives it from the open-files limit (half of it)
 */
public record ConnectionLimits(Duration icreqTimeout, Duration connectTimeout, int maxConnectionsPerListener,
        int maxConnectionsPerSource, int maxConnections) {

    static final int MAX_CAP = 1 << 20;
    static final Duration MIN_TIMEOUT = Duration.ofMillis(100);
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    /** The library's defaults: see the README's configuration table for why. */
    public static final ConnectionLimits DEFAULTS = new ConnectionLimits(Duration.ofSeconds(5), Duration.ofSeconds(10),
            1024, 128, 0);

    public ConnectionLimits {
        checkTimeout("icreq-timeout", icreqTimeout);
        checkTimeout("connect-timeout", connectTimeout);
        checkCap("max-connections-per-listener", maxConnectionsPerListener, 1);
        checkCap("max-connections-per-source", maxConnectionsPerSource, 1);
        checkCap("max-connections", maxConnections, 0);
    }

    private static void checkTimeout(String name, Duration value) {
        if (value == null || value.compareTo(MIN_TIMEOUT) < 0 || value.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException(name + " must be from 100ms to 10m, not " + value);
        }
    }

    private static void checkCap(String name, int value, int min) {
        if (value < min || value > MAX_CAP) {
            throw new IllegalArgumentException(name + " must be from " + min + " to " + MAX_CAP + ", not " + value);
        }
    }
}
