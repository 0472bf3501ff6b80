-- Each node's newest one-second dataplane sample (issue 15: every node live on any node's dashboard). One row
-- per node, overwritten every sample by that node only; the others read it when PostgreSQL notifies them
-- (channel windrose_node_sample, payload the host id) or, without notifications (H2), by polling.
CREATE TABLE node_live_sample (
    host_id           BIGINT                   NOT NULL PRIMARY KEY,
    sampled_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    interval_ms       INTEGER                  NOT NULL,
    dataplane_up      BOOLEAN                  NOT NULL,
    dataplane_problem VARCHAR(1000),
    read_iops         DOUBLE PRECISION         NOT NULL,
    write_iops        DOUBLE PRECISION         NOT NULL,
    read_mibps        DOUBLE PRECISION         NOT NULL,
    write_mibps       DOUBLE PRECISION         NOT NULL,
    latency_p50_us    DOUBLE PRECISION,
    latency_p99_us    DOUBLE PRECISION,
    latency_p999_us   DOUBLE PRECISION,
    errors            BIGINT                   NOT NULL,
    CONSTRAINT fk_node_live_sample_host FOREIGN KEY (host_id) REFERENCES host (id) ON DELETE CASCADE
);
