-- DH-HMAC-CHAP (issue 17): an allowed host's secret, the previous one still accepted during a rotation's
-- grace period, and the optional controller secret (bidirectional authentication). Each is sealed by the
-- application (AES-GCM, the key in the node's data directory, see SecretBox): never stored in clear.
ALTER TABLE nvmf_allowed_host ADD COLUMN dhchap_secret VARCHAR(1000);
ALTER TABLE nvmf_allowed_host ADD COLUMN dhchap_secret_set_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE nvmf_allowed_host ADD COLUMN dhchap_previous_secret VARCHAR(1000);
ALTER TABLE nvmf_allowed_host ADD COLUMN dhchap_previous_until TIMESTAMP WITH TIME ZONE;
ALTER TABLE nvmf_allowed_host ADD COLUMN dhchap_ctrl_secret VARCHAR(1000);
ALTER TABLE nvmf_allowed_host ADD COLUMN dhchap_ctrl_secret_set_at TIMESTAMP WITH TIME ZONE;
