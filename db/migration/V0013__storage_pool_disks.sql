-- The disks of a DISK pool, in order. A disk belongs to at most one pool; data starts after the label.
CREATE TABLE storage_pool_disk (
    pool_id           BIGINT NOT NULL,
    member_index      INTEGER NOT NULL,
    disk_id           BIGINT NOT NULL,
    data_offset_bytes BIGINT NOT NULL,
    data_bytes        BIGINT NOT NULL,
    CONSTRAINT pk_storage_pool_disk PRIMARY KEY (pool_id, member_index),
    CONSTRAINT uk_storage_pool_disk_disk UNIQUE (disk_id),
    CONSTRAINT fk_storage_pool_disk_pool FOREIGN KEY (pool_id) REFERENCES storage_pool (id) ON DELETE CASCADE,
    CONSTRAINT fk_storage_pool_disk_disk FOREIGN KEY (disk_id) REFERENCES disk (id)
);
