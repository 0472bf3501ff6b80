package dev.windrose.telemetry.internal;

import dev.windrose.telemetry.EventChange;
import dev.windrose.telemetry.EventInfo;
import dev.windrose.telemetry.Severity;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.web.util.HtmlUtils;

/**
 * The HTML alternative of an alert mail: the severity as a coloured label, what happened in a sentence,
 * and the event's facts in a table. Inline styles only (mail clients drop style sheets); every value from
 * the event is escaped, since object names and messages come from what users and hosts named things.
 */
final class AlertMailHtml {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private AlertMailHtml() {
    }

    static String of(EventChange change) {
        EventInfo event = change.event();
        boolean cleared = change.kind() == EventChange.Kind.CLEARED;
        String colour = cleared ? "#2e7d32" : event.severity() == Severity.CRITICAL ? "#c62828" : "#a15c00";
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html><body style=\"font-family: Arial, sans-serif; "
                + "color: #1f2933; font-size: 14px\">\n")
                .append("<p style=\"margin: 0 0 12px\"><span style=\"display: inline-block; padding: 2px 8px; "
                        + "border-radius: 4px; font-weight: bold; color: #ffffff; background: ").append(colour).append("\">")
                .append(event.severity()).append(' ').append(change.kind().name().toLowerCase(Locale.ROOT))
                .append("</span> on <strong>").append(escape(event.objectName())).append("</strong></p>\n")
                .append("<p style=\"margin: 0 0 16px; font-size: 16px\">").append(escape(event.message())).append("</p>\n")
                .append("<table style=\"border-collapse: collapse\" cellpadding=\"4\">\n");
        row(html, "Object", event.objectName() + " (" + event.objectKey() + ")");
        row(html, "Rule", event.rule().name());
        row(html, "State", event.state().name());
        row(html, "Raised at", when(event.raisedAt()));
        row(html, "Last seen", when(event.lastSeenAt()));
        if (event.clearedAt() != null) {
            row(html, "Cleared at", when(event.clearedAt()));
        }
        row(html, "Event id", event.id().value() + " (Events in the console)");
        row(html, "Open events now", Long.toString(change.openCount()));
        return html.append("</table>\n<p style=\"margin-top: 16px; color: #616e7c; font-size: 12px\">Sent by Windrose's "
                + "alert delivery. Acknowledge the event under Events in the console.</p>\n</body></html>\n").toString();
    }

    private static void row(StringBuilder html, String label, String value) {
        html.append("<tr><th align=\"left\" style=\"padding-right: 16px; color: #616e7c; font-weight: normal\">")
                .append(escape(label)).append("</th><td>").append(escape(value)).append("</td></tr>\n");
    }

    private static String when(@Nullable Instant at) {
        return at == null ? "" : WHEN.format(at);
    }

    private static String escape(String text) {
        return HtmlUtils.htmlEscape(text, "UTF-8");
    }
}
