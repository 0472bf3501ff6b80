-- The extents of a volume in a DISK pool, in order: byte ranges of the pool's disks. Never overlapping
-- (the allocator guarantees it; see ExtentAllocator and its property tests).
CREATE TABLE volume_extent (
    volume_id    BIGINT  NOT NULL,
    extent_index INTEGER NOT NULL,
    disk_id      BIGINT  NOT NULL,
    start_bytes  BIGINT  NOT NULL,
    length_bytes BIGINT  NOT NULL,
    CONSTRAINT pk_volume_extent PRIMARY KEY (volume_id, extent_index),
    CONSTRAINT fk_volume_extent_volume FOREIGN KEY (volume_id) REFERENCES volume (id) ON DELETE CASCADE,
    CONSTRAINT fk_volume_extent_disk FOREIGN KEY (disk_id) REFERENCES disk (id)
);

CREATE INDEX ix_volume_extent_disk ON volume_extent (disk_id);
