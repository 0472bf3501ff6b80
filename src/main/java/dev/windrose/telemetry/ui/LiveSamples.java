package dev.windrose.telemetry.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import dev.windrose.telemetry.ClusterSample;
import dev.windrose.telemetry.Subscription;
import dev.windrose.telemetry.TelemetryService;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Hands every new sample to a component while it is attached, on its UI's thread: subscribes to the
 * one sampler on attach, unsubscribes on detach. The sampler thread only queues a task
 * ({@code UI.access}); Vaadin's push channel (WebSocket) carries the result to the browser, which
 * never polls.
 */
final class LiveSamples {

    private @Nullable Subscription subscription;

    private LiveSamples() {
    }

    static void follow(Component component, TelemetryService telemetry, Consumer<ClusterSample> onSample) {
        LiveSamples live = new LiveSamples();
        component.addAttachListener(attach -> live.start(attach.getUI(), telemetry, onSample));
        component.addDetachListener(detach -> live.stop());
        component.getUI().ifPresent(ui -> live.start(ui, telemetry, onSample));
    }

    private void start(UI ui, TelemetryService telemetry, Consumer<ClusterSample> onSample) {
        stop();
        subscription = telemetry.subscribe(sample -> {
            try {
                ui.access(() -> onSample.accept(sample));
            } catch (UIDetachedException closed) {
                // The page went away between the sample and the hand-over; detach unsubscribes.
            }
        });
    }

    private void stop() {
        if (subscription != null) {
            subscription.cancel();
            subscription = null;
        }
    }
}
