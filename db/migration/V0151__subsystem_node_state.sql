-- What each node observed of a subsystem (issue 15): a subsystem with listeners on two nodes is applied,
-- or failed, on each of them separately; the subsystem's own state column keeps the last node's word.
CREATE TABLE nvmf_subsystem_node_state (
    subsystem_id  BIGINT                   NOT NULL,
    host_id       BIGINT                   NOT NULL,
    state         VARCHAR(16)              NOT NULL,
    last_error    VARCHAR(1000),
    observed_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_nvmf_subsystem_node_state PRIMARY KEY (subsystem_id, host_id),
    CONSTRAINT fk_subsystem_node_state_subsystem FOREIGN KEY (subsystem_id) REFERENCES nvmf_subsystem (id)
        ON DELETE CASCADE,
    CONSTRAINT fk_subsystem_node_state_host FOREIGN KEY (host_id) REFERENCES host (id) ON DELETE CASCADE
);
