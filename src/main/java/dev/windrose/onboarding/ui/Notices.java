package dev.windrose.onboarding.ui;

import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;

/** Short messages after an action: success fades, an error stays long enough to be read. */
final class Notices {

    private Notices() {
    }

    static void success(String message) {
        Notification.show(message, 4_000, Notification.Position.BOTTOM_START).addThemeVariants(NotificationVariant.SUCCESS);
    }

    static void error(String message) {
        Notification.show(message, 10_000, Notification.Position.MIDDLE).addThemeVariants(NotificationVariant.ERROR);
    }
}
