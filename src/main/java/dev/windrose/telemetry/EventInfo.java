package dev.windrose.telemetry;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An alert as an event.
 *
 * @param objectKey  what it is about, e.g. {@code pool:3}, {@code host:1}, {@code disk:7},
 *                   {@code subsystem:<nqn>}, {@code namespace:<nqn>/<nsid>}
 * @param objectName a name a person recognises (pool name, host name, disk name, NQN…)
 * @param message    what is wrong, in words, with the measured value; updated while the event lasts
 * @param severity   the highest severity reached while the event lasted
 * @param lastSeenAt when the condition was last seen to hold
 */
public record EventInfo(EventId id, AlertRule rule, Severity severity, String objectKey, String objectName,
        String message, EventState state, Instant raisedAt, Instant lastSeenAt, @Nullable Instant acknowledgedAt,
        @Nullable String acknowledgedBy, @Nullable Instant clearedAt) {
}
