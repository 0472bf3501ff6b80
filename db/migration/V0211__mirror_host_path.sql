-- Which hosts reach a mirrored volume through which node (issue 16): each node reports, when it changes, how many
-- controllers each host has connected to the mirror's subsystem on it and the ANA state it gives those paths,
-- so any console can show, per host, its live paths and their states.
CREATE TABLE mirror_host_path (
    mirror_id   BIGINT                   NOT NULL,
    node_id     BIGINT                   NOT NULL,
    host_nqn    VARCHAR(223)             NOT NULL,
    controllers INTEGER                  NOT NULL,
    ana_state   VARCHAR(16)              NOT NULL,
    reported_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (mirror_id, node_id, host_nqn),
    CONSTRAINT fk_mirror_host_path_mirror FOREIGN KEY (mirror_id) REFERENCES mirrored_volume (id) ON DELETE CASCADE
);
