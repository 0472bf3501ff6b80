-- Alert delivery (issue 14): where events go besides the console, by e-mail (SMTP) and to a webhook.
-- One row. The SMTP password is kept here for the mailer to use; the API and the console never return it.
-- The last outcome of each channel is kept so an administrator sees whether delivery works.
CREATE TABLE alert_delivery (
    id                     INT                      NOT NULL PRIMARY KEY,
    email_enabled          BOOLEAN                  NOT NULL,
    smtp_host              VARCHAR(255)             NOT NULL,
    smtp_port              INT                      NOT NULL,
    smtp_starttls          BOOLEAN                  NOT NULL,
    smtp_username          VARCHAR(255),
    smtp_password          VARCHAR(255),
    email_from             VARCHAR(255)             NOT NULL,
    email_to               VARCHAR(1000)            NOT NULL,
    email_min_severity     VARCHAR(16)              NOT NULL,
    email_last_result      VARCHAR(1000),
    email_last_at          TIMESTAMP WITH TIME ZONE,
    webhook_enabled        BOOLEAN                  NOT NULL,
    webhook_url            VARCHAR(1000)            NOT NULL,
    webhook_min_severity   VARCHAR(16)              NOT NULL,
    webhook_last_result    VARCHAR(1000),
    webhook_last_at        TIMESTAMP WITH TIME ZONE,
    updated_at             TIMESTAMP WITH TIME ZONE,
    updated_by             VARCHAR(64),
    CONSTRAINT ck_alert_delivery_single CHECK (id = 1)
);

INSERT INTO alert_delivery (id, email_enabled, smtp_host, smtp_port, smtp_starttls, email_from, email_to,
                            email_min_severity, webhook_enabled, webhook_url, webhook_min_severity)
    VALUES (1, FALSE, '', 587, TRUE, '', '', 'WARNING', FALSE, '', 'WARNING');
