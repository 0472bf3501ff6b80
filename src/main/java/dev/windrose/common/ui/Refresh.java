package dev.windrose.common.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.shared.Registration;

/**
 * Keeps a view current with what changes outside this session (a host connecting, a member's paths)
 * by polling on the server's side of the UI while the view is shown, and stops when it is left.
 */
public final class Refresh {

    private Refresh() {
    }

    /** Runs {@code refresh} every {@code intervalMillis} while {@code view} is attached to a UI. */
    public static void whileAttached(Component view, int intervalMillis, Runnable refresh) {
        view.addAttachListener(attach -> {
            UI ui = attach.getUI();
            ui.setPollInterval(intervalMillis);
            Registration polling = ui.addPollListener(poll -> refresh.run());
            view.addDetachListener(detach -> {
                ui.setPollInterval(-1);
                polling.remove();
                detach.unregisterListener();
            });
        });
    }
}
