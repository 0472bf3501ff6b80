package dev.windrose.dataplane;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * The embedded target's admission counters as meters ({@code windrose_dataplane_connections_*},
 * {@code windrose_dataplane_log_lines_*} at /actuator/prometheus): how many connections were admitted,
 * refused by which cap, closed for a slow handshake, how often accept() ran out of descriptors, and
 * how many log lines were written or suppressed. No names or addresses: counts only. Read from the
 * library at each scrape; 0 while the target is not running.
 */
final class AdmissionMeters implements MeterBinder {

    private final EmbeddedTarget embedded;

    AdmissionMeters(EmbeddedTarget embedded) {
        this.embedded = embedded;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "windrose.dataplane.connections.accepted", "Connections the NVMe/TCP target admitted",
                null, NetworkCounters::accepted);
        String refused = "Connections closed at once because a cap was reached";
        counter(registry, "windrose.dataplane.connections.refused", refused, "total", NetworkCounters::refusedTotal);
        counter(registry, "windrose.dataplane.connections.refused", refused, "listener",
                NetworkCounters::refusedListener);
        counter(registry, "windrose.dataplane.connections.refused", refused, "source", NetworkCounters::refusedSource);
        counter(registry, "windrose.dataplane.connections.handshake.timeouts",
                "Connections closed because ICReq or Connect did not come in time", null,
                NetworkCounters::handshakeTimeouts);
        counter(registry, "windrose.dataplane.accept.backoffs",
                "Times accept() ran out of descriptors or memory and the listener paused", null,
                NetworkCounters::acceptBackoffs);
        counter(registry, "windrose.dataplane.log.lines", "Log lines the dataplane wrote", null,
                NetworkCounters::logLines);
        counter(registry, "windrose.dataplane.log.suppressed", "Log lines the dataplane's rate limit dropped", null,
                NetworkCounters::logSuppressed);
        Gauge.builder("windrose.dataplane.connections.cap", embedded, e -> read(e, NetworkCounters::connectionCap))
                .description("The target's total connection cap (at most half of the open-files limit)")
                .register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, @Nullable String reason,
            ToLongFunction<NetworkCounters> value) {
        var builder = FunctionCounter.builder(name, embedded, e -> read(e, value)).description(description);
        if (reason != null) {
            builder.tag("reason", reason);
        }
        builder.register(registry);
    }

    private static double read(EmbeddedTarget embedded, ToLongFunction<NetworkCounters> value) {
        try {
            return embedded.target().map(t -> (double) value.applyAsLong(t.networkCounters())).orElse(0.0);
        } catch (DataplaneException stopped) {
            return 0;   // closed between target() and the call
        }
    }
}
