package dev.windrose.security.ui;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.jspecify.annotations.Nullable;

/**
 * Times as the console shows them: in the server's time zone with the zone's name, so an
 * administrator comparing the audit log with other logs knows which clock they read.
 */
final class Formats {

    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter DATE_TIME_TO_MINUTE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter ZONE_NAME =
            DateTimeFormatter.ofPattern("z").withZone(ZoneId.systemDefault());

    private Formats() {
    }

    static String dateTime(@Nullable Instant instant, String whenMissing) {
        return instant == null ? whenMissing : DATE_TIME.format(instant);
    }

    /** Where seconds do not matter (token expiry) and the width does; the zone goes in the header. */
    static String dateTimeToMinute(@Nullable Instant instant, String whenMissing) {
        return instant == null ? whenMissing : DATE_TIME_TO_MINUTE.format(instant);
    }

    /** A column header for times shown with {@link #dateTimeToMinute}, e.g. "Expires (UTC)". */
    static String headerWithZone(String header) {
        return header + " (" + ZONE_NAME.format(Instant.now()) + ")";
    }
}
