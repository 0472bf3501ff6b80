package dev.windrose.dataplane;

import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The console's own NVMe/TCP target: started with the application (reactors and a discovery
 * listener), stopped before the library is unloaded. A target that cannot start (e.g. the port is
 * taken) does not stop the console: the reason is logged and reported by the {@code dataplane}
 * health indicator, and the console keeps serving so the admin can see and fix it.
 */
public final class EmbeddedTarget implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedTarget.class);

    /** What the target is doing; {@code problem} says why it is not running when it should. */
    public record Status(boolean enabled, boolean running, @Nullable String listenAddress, int listenPort,
            @Nullable String problem) {
    }

    private final Dataplane dataplane;
    private final EmbeddedTargetProperties properties;
    private volatile @Nullable DataplaneTarget target;
    private volatile Status status;

    EmbeddedTarget(Dataplane dataplane, EmbeddedTargetProperties properties) {
        this.dataplane = dataplane;
        this.properties = properties;
        this.status = new Status(properties.enabled(), false, null, 0, properties.enabled() ? "not started yet" : null);
    }

    /** The running target, for the parts of the console that configure it. */
    public Optional<DataplaneTarget> target() {
        return Optional.ofNullable(target);
    }

    public Status status() {
        return status;
    }

    @Override
    public synchronized void start() {
        if (!properties.enabled() || target != null) {
            return;
        }
        DataplaneTarget started = null;
        try {
            started = dataplane.createTarget(properties.options());
            int port = started.addListener(DataplaneTarget.DISCOVERY_NQN, properties.listenAddress(),
                    properties.listenPort());
            target = started;
            status = new Status(true, true, properties.listenAddress(), port, null);
            ConnectionLimits limits = properties.limits();
            log.info("NVMe/TCP target running: {} {} reactor(s), discovery on {}:{}; a connection must send ICReq "
                    + "within {} and Connect within {}; at most {} connections per listener, {} per address, {} in all",
                    properties.mode(), properties.reactors(), properties.listenAddress(), port, limits.icreqTimeout(),
                    limits.connectTimeout(), limits.maxConnectionsPerListener(), limits.maxConnectionsPerSource(),
                    started.networkCounters().connectionCap());
        } catch (DataplaneException | IllegalArgumentException e) {
            if (started != null) {
                started.close();
            }
            String problem = "The NVMe/TCP target could not start on " + properties.listenAddress() + ":"
                    + properties.listenPort() + ": " + e.getMessage();
            status = new Status(true, false, properties.listenAddress(), properties.listenPort(), problem);
            log.error("{} (set windrose.dataplane.target.listen-port, or enabled=false to run without a target)", problem);
        }
    }

    @Override
    public synchronized void stop() {
        DataplaneTarget running = target;
        target = null;
        if (running != null) {
            running.close();
            status = new Status(properties.enabled(), false, null, 0, "stopped");
            log.info("NVMe/TCP target stopped.");
        }
    }

    @Override
    public boolean isRunning() {
        return target != null;
    }
}
