package dev.windrose.telemetry;

import org.jspecify.annotations.Nullable;

/**
 * What raises events; admins change them.
 *
 * @param poolWarningPercent       written data (percent of capacity) of a pool whose thin volumes may
 *                                 still claim space, above which a WARNING is raised (1..100)
 * @param poolCriticalPercent      above which it becomes CRITICAL (≥ the warning level, ≤ 100)
 * @param latencyP99Micros         a namespace's p99 over 10 s above this raises a WARNING; null: off
 * @param queuePairErrorsPerMinute errors per minute on a subsystem's queue pairs that raise a WARNING
 *                                 (at least 1); null: off
 * @param hostHeartbeat            raise CRITICAL when a host goes offline
 * @param diskHealth               raise when a disk reports a warning (WARNING) or failure (CRITICAL)
 * @param reconciliationErrors     raise WARNING when desired fabric state could not be applied
 */
public record AlertThresholds(int poolWarningPercent, int poolCriticalPercent, @Nullable Long latencyP99Micros,
        @Nullable Long queuePairErrorsPerMinute, boolean hostHeartbeat, boolean diskHealth,
        boolean reconciliationErrors) {

    public static final AlertThresholds DEFAULTS = new AlertThresholds(80, 90, 10_000L, 1L, true, true, true);
}
