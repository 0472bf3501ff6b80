-- Each node's slice of the NVMe controller IDs (issue 15): a host that reaches one subsystem through two
-- nodes must never get two controllers with the same CNTLID (the Linux host refuses the second). Slot s
-- hands out s*1024+1 .. s*1024+1023; a slot is given once, when the node first registers.
ALTER TABLE cluster_member ADD COLUMN cntlid_slot INTEGER;
CREATE UNIQUE INDEX ux_cluster_member_cntlid_slot ON cluster_member (cntlid_slot);
