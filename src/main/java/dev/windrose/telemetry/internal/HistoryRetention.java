package dev.windrose.telemetry.internal;

import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes history points beyond their retention. Idempotent, so every node may run it; with a shared
 * PostgreSQL the deletes of one node leave nothing for the others.
 */
@Component
class HistoryRetention {

    private static final Logger log = LoggerFactory.getLogger(HistoryRetention.class);

    private final HistoryStore history;
    private final TelemetryProperties properties;
    private final Clock clock;

    HistoryRetention(HistoryStore history, TelemetryProperties properties, Clock clock) {
        this.history = history;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${windrose.telemetry.cleanup-interval:PT10M}", initialDelay = 60_000)
    void periodically() {
        try {
            purge();
        } catch (RuntimeException e) {
            log.warn("Could not delete old telemetry history; the next pass tries again", e);
        }
    }

    /** Returns how many points were deleted. */
    int purge() {
        Instant now = clock.instant();
        int deleted = history.deleteOlderThan(properties.fineStep(), now.minus(properties.fineRetention()))
                + history.deleteOlderThan(properties.coarseStep(), now.minus(properties.coarseRetention()));
        if (deleted > 0) {
            log.debug("Deleted {} telemetry points beyond their retention", deleted);
        }
        return deleted;
    }
}
