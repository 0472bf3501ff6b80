-- When the resync the active node reports began (issue 16), so that consoles can say how long the rest will
-- take from the pace it has kept so far.
ALTER TABLE mirrored_volume ADD COLUMN observed_resync_started_at TIMESTAMP WITH TIME ZONE;
