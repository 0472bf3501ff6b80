package dev.windrose.security.ui;

import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;

/** Short messages after an action: success fades, an error stays until it is read. */
final class Notifications {

    private static final int SUCCESS_MILLIS = 4_000;
    private static final int ERROR_MILLIS = 10_000;

    private Notifications() {
    }

    static void success(String message) {
        Notification notification = Notification.show(message, SUCCESS_MILLIS, Notification.Position.BOTTOM_START);
        notification.addThemeVariants(NotificationVariant.SUCCESS);
    }

    static void error(String message) {
        Notification notification = Notification.show(message, ERROR_MILLIS, Notification.Position.MIDDLE);
        notification.addThemeVariants(NotificationVariant.ERROR);
    }
}
