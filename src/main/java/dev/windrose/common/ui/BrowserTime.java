package dev.windrose.common.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.page.ExtendedClientDetails;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Times as the reader's browser tells them: in the browser's time zone, with the zone written after the
 * time ("2026-12-07 16:20:01 CET"), so a time is never read in the wrong zone. Until the browser has
 * told its zone (or in a request without a browser) the server's zone is used, and named the same way.
 */
public final class BrowserTime {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT);

    private BrowserTime() {
    }

    /** {@code yyyy-MM-dd HH:mm:ss} and the zone's short name, in the current browser's zone. */
    public static String format(Instant instant) {
        return SECONDS.withZone(zone()).format(instant);
    }

    /** The current UI's browser zone, else the server's. */
    public static ZoneId zone() {
        UI ui = UI.getCurrent();
        if (ui != null) {
            ExtendedClientDetails details = ui.getPage().getExtendedClientDetails();
            if (details != null && details.getTimeZoneId() != null && !details.getTimeZoneId().isBlank()) {
                try {
                    return ZoneId.of(details.getTimeZoneId());
                } catch (DateTimeException unknownToJava) {
                    return ZoneId.systemDefault();
                }
            }
        }
        return ZoneId.systemDefault();
    }

    /**
     * Asks the browser for its zone if it has not told it yet, and runs {@code whenKnown} (on the UI
     * thread) once it has, so a view can redraw its times.
     */
    public static void ask(UI ui, Runnable whenKnown) {
        ExtendedClientDetails details = ui.getPage().getExtendedClientDetails();
        if (details == null || details.getTimeZoneId() == null) {
            ui.getPage().retrieveExtendedClientDetails(received -> whenKnown.run());
        }
    }
}
