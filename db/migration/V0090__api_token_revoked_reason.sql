-- Why a token was revoked when it was not its owner's own choice (an administrator set a new password),
-- so that a script using it hears the reason in its 401.
ALTER TABLE api_token ADD COLUMN revoked_reason VARCHAR(200);
