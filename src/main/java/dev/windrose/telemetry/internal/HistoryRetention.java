package dev.windrose.telemetry.internal;

import dev.windrose.cluster.OncePerCluster;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes history points beyond their retention, on one node of the cluster per interval (idempotent
 * anyway, but three nodes deleting the same rows is load for nothing).
 */
@Component
class HistoryRetention {

    private static final Logger log = LoggerFactory.getLogger(HistoryRetention.class);

    private final HistoryStore history;
    private final TelemetryProperties properties;
    private final Clock clock;
    private final OncePerCluster oncePerCluster;

    HistoryRetention(HistoryStore history, TelemetryProperties properties, Clock clock, OncePerCluster oncePerCluster) {
        this.oncePerCluster = oncePerCluster;
        this.history = history;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${windrose.telemetry.cleanup-interval:PT10M}", initialDelay = 60_000)
    void periodically() {
        try {
            oncePerCluster.run("history-retention", properties.cleanupInterval(), this::purge);
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
