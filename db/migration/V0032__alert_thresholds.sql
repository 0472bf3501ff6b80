-- The alert thresholds: one row (id 1), changed by admins. NULL switches a numeric rule off.
CREATE TABLE alert_thresholds (
    id                           INTEGER                  NOT NULL PRIMARY KEY,
    pool_warning_percent         INTEGER                  NOT NULL,
    pool_critical_percent        INTEGER                  NOT NULL,
    latency_p99_micros           BIGINT,
    queue_pair_errors_per_minute BIGINT,
    host_heartbeat               BOOLEAN                  NOT NULL,
    disk_health                  BOOLEAN                  NOT NULL,
    reconciliation_errors        BOOLEAN                  NOT NULL,
    updated_at                   TIMESTAMP WITH TIME ZONE,
    updated_by                   VARCHAR(64),
    CONSTRAINT ck_alert_thresholds_single CHECK (id = 1)
);

INSERT INTO alert_thresholds (id, pool_warning_percent, pool_critical_percent, latency_p99_micros,
        queue_pair_errors_per_minute, host_heartbeat, disk_health, reconciliation_errors)
VALUES (1, 80, 90, 10000, 1, TRUE, TRUE, TRUE);
