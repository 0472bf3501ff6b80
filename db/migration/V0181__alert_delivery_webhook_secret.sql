-- Webhook posts are signed (HMAC-SHA256) with a secret an administrator creates and is shown once. It is
-- kept sealed like the SMTP password (the sender needs it in clear to sign); when it was made is shown.
ALTER TABLE alert_delivery ADD COLUMN webhook_secret VARCHAR(1000);
ALTER TABLE alert_delivery ADD COLUMN webhook_secret_created_at TIMESTAMP WITH TIME ZONE;
