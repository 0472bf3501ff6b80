package dev.windrose.dataplane;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The NVMe/TCP target the console runs in its own process (windrose.dataplane.target.*).
 *
 * @param enabled false runs the console without a target
 * @param cpuList CPUs to pin reactors to ("2,3", "0-3"); empty for none
 * @param listenAddress where the discovery listener binds (an IPv4 or IPv6 literal)
 * @param listenPort 4420 is the NVMe/TCP port; 0 picks a free one (tests)
 * @param icreqTimeout a socket that has not sent ICReq this long after it connected is closed
 * @param connectTimeout ... and one that has not completed the fabrics Connect this long after ICReq
 * @param maxConnectionsPerListener connections over it are closed at once
 * @param maxConnectionsPerSource the same per source IP address
 * @param maxConnections the whole target; 0 = half of the open-files limit (never more than that)
 * @param cntlidMin the lowest controller ID this node hands out; 0 = 1
 * @param cntlidMax the highest; 0 = 0xFFEF (65519). Nodes exporting one subsystem need disjoint ranges
 * @param anaTransitionTime ANATT (whole seconds, 1s..255s; null = 10s): no ANA group stays in change longer
 */
@ConfigurationProperties(prefix = "windrose.dataplane.target")
public record EmbeddedTargetProperties(boolean enabled, int reactors, PollMode mode, @Nullable String cpuList,
        String listenAddress, int listenPort, @Nullable Duration icreqTimeout, @Nullable Duration connectTimeout,
        int maxConnectionsPerListener, int maxConnectionsPerSource, int maxConnections, int cntlidMin,
        int cntlidMax, @Nullable Duration anaTransitionTime) {

    public EmbeddedTargetProperties {
        if (mode == null) {
            mode = PollMode.ADAPTIVE;
        }
        if (listenAddress == null || listenAddress.isBlank()) {
            listenAddress = "127.0.0.1";
        }
        if (reactors == 0) {
            reactors = 1;
        }
        ConnectionLimits defaults = ConnectionLimits.DEFAULTS;
        if (icreqTimeout == null) {
            icreqTimeout = defaults.icreqTimeout();
        }
        if (connectTimeout == null) {
            connectTimeout = defaults.connectTimeout();
        }
        if (maxConnectionsPerListener == 0) {
            maxConnectionsPerListener = defaults.maxConnectionsPerListener();
        }
        if (maxConnectionsPerSource == 0) {
            maxConnectionsPerSource = defaults.maxConnectionsPerSource();
        }
        if (cntlidMin == 0) {
            cntlidMin = ControllerIdRange.MIN;
        }
        if (cntlidMax == 0) {
            cntlidMax = ControllerIdRange.MAX;
        }
        if (anaTransitionTime == null) {
            anaTransitionTime = TargetOptions.DEFAULT_ANA_TRANSITION_TIME;
        }
    }

    /** The configured range (checked when the target starts: a bad one is the target's problem). */
    ControllerIdRange controllerIds() {
        return new ControllerIdRange(cntlidMin, cntlidMax);
    }

    ConnectionLimits limits() {
        return new ConnectionLimits(icreqTimeout, connectTimeout, maxConnectionsPerListener, maxConnectionsPerSource,
                maxConnections);
    }

    TargetOptions options(ControllerIdRange controllerIds) {
        return new TargetOptions(reactors, mode, cpuList == null || cpuList.isBlank() ? null : cpuList, limits(),
                controllerIds, anaTransitionTime);
    }
}
