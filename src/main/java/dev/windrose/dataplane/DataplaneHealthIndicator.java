package dev.windrose.dataplane;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** "dataplane" in /actuator/health: the library version and whether the target serves. */
final class DataplaneHealthIndicator implements HealthIndicator {

    private final Dataplane dataplane;
    private final EmbeddedTarget target;

    DataplaneHealthIndicator(Dataplane dataplane, EmbeddedTarget target) {
        this.dataplane = dataplane;
        this.target = target;
    }

    @Override
    public Health health() {
        EmbeddedTarget.Status status = target.status();
        Health.Builder health = status.enabled() && !status.running() ? Health.down() : Health.up();
        health.withDetail("version", dataplane.version()).withDetail("abi", dataplane.abiVersion());
        if (!status.enabled()) {
            return health.withDetail("target", "disabled").build();
        }
        if (status.running()) {
            return health.withDetail("discovery", status.listenAddress() + ":" + status.listenPort()).build();
        }
        return health.withDetail("problem", String.valueOf(status.problem())).build();
    }
}
