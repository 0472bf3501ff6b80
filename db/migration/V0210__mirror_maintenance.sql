-- Node maintenance (issue 16): the mirrored volumes whose active role was handed away from a node for its
-- maintenance, so that ending the maintenance hands exactly those back (and no other).
CREATE TABLE mirror_maintenance (
    mirror_id BIGINT                   NOT NULL PRIMARY KEY,
    node_id   BIGINT                   NOT NULL,
    since     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT fk_mirror_maintenance_mirror FOREIGN KEY (mirror_id) REFERENCES mirrored_volume (id) ON DELETE CASCADE
);
