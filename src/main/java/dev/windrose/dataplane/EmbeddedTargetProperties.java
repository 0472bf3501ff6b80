package dev.windrose.dataplane;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The NVMe/TCP target the console runs in its own process (windrose.dataplane.target.*).
 *
 * @param enabled false runs the console without a target
 * @param cpuList CPUs to pin reactors to ("2,3", "0-3"); empty for none
 * @param listenAddress where the discovery listener binds (an IPv4 or IPv6 literal)
 * @param listenPort 4420 is the NVMe/TCP port; 0 picks a free one (tests)
 */
@ConfigurationProperties(prefix = "windrose.dataplane.target")
public record EmbeddedTargetProperties(boolean enabled, int reactors, PollMode mode, @Nullable String cpuList,
        String listenAddress, int listenPort) {

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
    }

    TargetOptions options() {
        return new TargetOptions(reactors, mode, cpuList == null || cpuList.isBlank() ? null : cpuList);
    }
}
