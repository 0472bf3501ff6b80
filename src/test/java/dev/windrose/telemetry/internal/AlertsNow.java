package dev.windrose.telemetry.internal;

import org.springframework.context.ApplicationContext;

/**
 * For tests outside this package: runs the pool, host, disk and reconciliation rules now instead of
 * waiting for the scheduler's next pass (every 15 s by default), exactly as that pass would.
 */
public final class AlertsNow {

    private AlertsNow() {
    }

    public static void evaluateInventory(ApplicationContext context) {
        context.getBean(AlertEvaluator.class).evaluateInventory();
    }
}
