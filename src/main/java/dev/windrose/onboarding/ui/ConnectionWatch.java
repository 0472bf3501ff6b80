package dev.windrose.onboarding.ui;

import com.vaadin.flow.component.UI;
import dev.windrose.fabric.ConnectionInfo;
import dev.windrose.fabric.FabricService;
import dev.windrose.fabric.SubsystemId;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.concurrent.DelegatingSecurityContextRunnable;
import org.springframework.security.core.context.SecurityContext;

/**
 * Watches a subsystem's live controllers on the server and pushes the first one to the browser (the
 * console runs with server push): nobody has to reload. The dataplane announces no connection, so the
 * watch asks it every second, as the signed-in user, until a host is there; then it stops.
 */
final class ConnectionWatch implements AutoCloseable {

    static final long PERIOD_MILLIS = 1_000;
    private static final Logger log = LoggerFactory.getLogger(ConnectionWatch.class);

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("wizard-connection-watch").factory());

    ConnectionWatch(FabricService fabric, SubsystemId subsystem, UI ui, SecurityContext signedIn,
            Consumer<ConnectionInfo> connected) {
        Runnable check = () -> {
            List<ConnectionInfo> live = connections(fabric, subsystem);
            if (!live.isEmpty()) {
                ConnectionInfo first = live.getFirst();
                try {
                    ui.access(() -> connected.accept(first));
                } catch (com.vaadin.flow.component.UIDetachedException closed) {
                    // The browser left the page: nobody to tell.
                }
                executor.shutdown();
            }
        };
        executor.scheduleWithFixedDelay(new DelegatingSecurityContextRunnable(check, signedIn), 0, PERIOD_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    private static List<ConnectionInfo> connections(FabricService fabric, SubsystemId subsystem) {
        try {
            return fabric.connections(subsystem);
        } catch (RuntimeException e) {
            // The subsystem went away or the target stopped: nothing connected; the next round asks again.
            log.debug("connection watch of subsystem {}: {}", subsystem, e.getMessage());
            return List.of();
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    static void closeQuietly(@Nullable ConnectionWatch watch) {
        if (watch != null) {
            watch.close();
        }
    }
}
