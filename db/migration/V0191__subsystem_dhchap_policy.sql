-- DH-HMAC-CHAP (issue 17): the hash functions and DH groups a subsystem accepts, as the dataplane's bit
-- masks (bit 1 << id with the specification's ids): SHA-256/384/512 = 0x0e and null + ffdhe2048..8192 = 0x3f,
-- every one, by default.
ALTER TABLE nvmf_subsystem ADD COLUMN dhchap_hashes INTEGER DEFAULT 14 NOT NULL;
ALTER TABLE nvmf_subsystem ADD COLUMN dhchap_dh_groups INTEGER DEFAULT 63 NOT NULL;
