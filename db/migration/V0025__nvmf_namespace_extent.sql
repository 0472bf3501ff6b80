-- Disk-pool volumes are served as an extent of their disk: the namespace keeps where on the disk
-- (backing_path) it starts. NULL for whole files and RAM.
ALTER TABLE nvmf_namespace ADD COLUMN backing_offset BIGINT;
ALTER TABLE nvmf_namespace DROP CONSTRAINT ck_nvmf_namespace_kind;
ALTER TABLE nvmf_namespace ADD CONSTRAINT ck_nvmf_namespace_kind CHECK (backing_kind IN ('FILE', 'RAM', 'NULL', 'EXTENT'));
ALTER TABLE nvmf_namespace ADD CONSTRAINT ck_nvmf_namespace_extent
    CHECK ((backing_kind = 'EXTENT' AND backing_offset > 0 AND backing_path IS NOT NULL)
        OR (backing_kind <> 'EXTENT' AND backing_offset IS NULL));
