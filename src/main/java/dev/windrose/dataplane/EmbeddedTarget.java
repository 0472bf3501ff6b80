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
    /** Set by the cluster from its membership; the properties' range until then. */
    private @Nullable ControllerIdRange controllerIds;

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

    /**
     * The controller IDs this node hands out: call it before {@link #start()} (the target starts with it)
     * or while it runs (new controllers get IDs from it; connected ones keep theirs). It overrides
     * windrose.dataplane.target.cntlid-min/-max and survives a stop and start.
     */
    public synchronized void setControllerIdRange(ControllerIdRange range) {
        DataplaneTarget running = target;
        if (running != null) {
            running.setControllerIdRange(range);
        }
        controllerIds = range;
        log.info("NVMe/TCP target: controller IDs {}..{}", range.min(), range.max());
    }

    /** The range new controllers get their IDs from (or will, once the target starts). */
    public synchronized ControllerIdRange controllerIdRange() {
        return controllerIds != null ? controllerIds : properties.controllerIds();
    }

    @Override
    public synchronized void start() {
        if (!properties.enabled() || target != null) {
            return;
        }
        DataplaneTarget started = null;
        try {
            started = dataplane.createTarget(properties.options(controllerIdRange()));
            int port = started.addListener(DataplaneTarget.DISCOVERY_NQN, properties.listenAddress(),
                    properties.listenPort());
            target = started;
            status = new Status(true, true, properties.listenAddress(), port, null);
            ConnectionLimits limits = properties.limits();
            log.info("NVMe/TCP target running: {} {} reactor(s), discovery on {}:{}; a connection must send ICReq "
                    + "within {} and Connect within {}; at most {} connections per listener, {} per address, {} in all; "
                    + "controller IDs {}..{}, ANA transition time {}",
                    properties.mode(), properties.reactors(), properties.listenAddress(), port, limits.icreqTimeout(),
                    limits.connectTimeout(), limits.maxConnectionsPerListener(), limits.maxConnectionsPerSource(),
                    started.networkCounters().connectionCap(), controllerIdRange().min(), controllerIdRange().max(),
                    properties.anaTransitionTime());
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
