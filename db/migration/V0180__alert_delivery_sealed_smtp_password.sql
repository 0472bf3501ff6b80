-- The SMTP password is sealed (AES-GCM, the key in the node's data directory, see SecretBox) before it is
-- stored: a sealed value is longer than the 255 characters the clear one was allowed. A clear password
-- stored before this is sealed by the application at its next start.
ALTER TABLE alert_delivery ALTER COLUMN smtp_password SET DATA TYPE VARCHAR(1000);
