-- Drift: what the reconciler last found different on the dataplane from what it had applied (a
-- namespace, listener or allowed host gone behind the console's back, or the subsystem itself), in
-- words, and when. Kept after the repair, so an admin can see that it happened.
ALTER TABLE nvmf_subsystem ADD COLUMN last_drift VARCHAR(1000);
ALTER TABLE nvmf_subsystem ADD COLUMN drift_at TIMESTAMP WITH TIME ZONE;
