package dev.windrose.telemetry.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code windrose.telemetry.*}: how often the dataplane is sampled, how much is kept live in memory
 * and for how long history is kept in the database.
 *
 * @param enabled          sample at all (tests of other features may switch it off)
 * @param sampleInterval   how often the dataplane's statistics are read (one reader, however many watch)
 * @param liveWindow       how many seconds of samples the live ring keeps for charts that open
 * @param fineStep         the step of the first history level (10 s)
 * @param fineRetention    how long the fine points are kept (a day)
 * @param coarseStep       the step of the second history level (1 min)
 * @param coarseRetention  how long the coarse points are kept (30 days)
 * @param cleanupInterval  how often points beyond their retention are deleted
 * @param alertInterval    how often pool, host, disk and reconciliation alerts are evaluated
 */
@ConfigurationProperties("windrose.telemetry")
record TelemetryProperties(@DefaultValue("true") boolean enabled, @DefaultValue("PT1S") Duration sampleInterval,
        @DefaultValue("PT15M") Duration liveWindow, @DefaultValue("PT10S") Duration fineStep,
        @DefaultValue("P1D") Duration fineRetention, @DefaultValue("PT1M") Duration coarseStep,
        @DefaultValue("P30D") Duration coarseRetention, @DefaultValue("PT10M") Duration cleanupInterval,
        @DefaultValue("PT15S") Duration alertInterval) {

    TelemetryProperties {
        if (sampleInterval.toMillis() < 100) {
            throw new IllegalArgumentException("windrose.telemetry.sample-interval must be at least 100 ms");
        }
        if (fineStep.toSeconds() < 1 || coarseStep.toSeconds() < fineStep.toSeconds()
                || coarseStep.toSeconds() % fineStep.toSeconds() != 0) {
            throw new IllegalArgumentException("windrose.telemetry.coarse-step must be a multiple of fine-step (whole seconds)");
        }
    }
}
