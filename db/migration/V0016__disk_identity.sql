-- Disks are known by a stable identity (WWID, EUI, NGUID, serial and model, by-id link; a lab disk by its
-- file) rather than by kernel name, which changes across reboots: after one, sda may be what sdb was.
-- Existing block disks start with their kernel name ('name:sda'); the next rescan replaces it with the
-- identity the system reports. Kernel names are no longer unique per host: a vanished disk keeps its
-- last name while another disk may have taken it.
ALTER TABLE disk ADD COLUMN identity_key VARCHAR(512);
UPDATE disk SET identity_key = 'file:' || device_path WHERE kind = 'LAB';
UPDATE disk SET identity_key = 'name:' || name WHERE kind = 'BLOCK';
ALTER TABLE disk ALTER COLUMN identity_key SET NOT NULL;
ALTER TABLE disk DROP CONSTRAINT uk_disk_host_name;
ALTER TABLE disk ADD CONSTRAINT uk_disk_host_identity UNIQUE (host_id, identity_key);
CREATE INDEX ix_disk_host_name ON disk (host_id, name);
