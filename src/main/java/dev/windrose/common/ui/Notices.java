package dev.windrose.common.ui;

import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;

/** Short messages after an action: success fades, an error stays long enough to be read. */
public final class Notices {

    private static final int SUCCESS_MILLIS = 4_000;
    private static final int ERROR_MILLIS = 10_000;

    private Notices() {
    }

    public static void success(String message) {
        Notification.show(message, SUCCESS_MILLIS, Notification.Position.BOTTOM_START)
                .addThemeVariants(NotificationVariant.SUCCESS);
    }

    public static void error(String message) {
        Notification.show(message, ERROR_MILLIS, Notification.Position.MIDDLE)
                .addThemeVariants(NotificationVariant.ERROR);
    }
}
