-- The business account made visible (issue 15): the latest quality rating, messaging limit tier and account status
-- of each business number, the account events they came from, and the raw webhook changes the gateway does not
-- store elsewhere. Written only by settings/AccountWrites (the account columns and whatsapp_account_events) and by
-- webhook/RawWebhookEvents (whatsapp_webhook_events).

-- The account state on the settings row. Each value keeps the time of the event it came from, so an older event
-- delivered late never replaces a newer one. display_phone_number is learned from message deliveries (their
-- metadata names both numbers): phone number webhooks name only the display number.
ALTER TABLE whatsapp_settings
    ADD COLUMN display_phone_number    text,
    ADD COLUMN quality_rating          text,
    ADD COLUMN quality_rating_at       timestamptz,
    ADD COLUMN messaging_limit_tier    text,
    ADD COLUMN messaging_limit_tier_at timestamptz,
    ADD COLUMN account_status          text,
    ADD COLUMN account_status_at       timestamptz;

-- One account webhook change (account_update, account_alerts, phone_number_quality_update,
-- phone_number_name_update) as it applies to one settings row. dedupe_key is the hash of the change as Meta sent
-- it (field, entry id and time, value): a redelivery stores nothing twice.
CREATE TABLE whatsapp_account_events (
    id                   bigint      GENERATED ALWAYS AS IDENTITY,
    settings_id          uuid        NOT NULL,
    waba_id              text,
    field                text        NOT NULL,
    event                text,
    quality_rating       text,
    messaging_limit_tier text,
    account_status       text,
    details              jsonb,
    value                jsonb       NOT NULL,
    event_at             timestamptz NOT NULL,
    received_at          timestamptz NOT NULL DEFAULT now(),
    dedupe_key           text        NOT NULL,
    CONSTRAINT whatsapp_account_events_pkey PRIMARY KEY (id),
    CONSTRAINT whatsapp_account_events_settings_id_fkey FOREIGN KEY (settings_id)
        REFERENCES whatsapp_settings (id) ON DELETE CASCADE,
    CONSTRAINT whatsapp_account_events_settings_id_dedupe_key_key UNIQUE (settings_id, dedupe_key)
);
-- GET /api/v1/settings/{id}/events: newest first, keyset paged by id.
CREATE INDEX whatsapp_account_events_settings_idx ON whatsapp_account_events (settings_id, id);

-- Every webhook change the gateway stores nowhere else (fields it does not handle, and handled ones it could not
-- route), raw, for gateway.webhook-events.retention. dedupe_key as above.
CREATE TABLE whatsapp_webhook_events (
    id          bigint      GENERATED ALWAYS AS IDENTITY,
    field       text        NOT NULL,
    entry_id    text,
    entry_time  timestamptz,
    reason      text        NOT NULL,
    payload     jsonb       NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    dedupe_key  text        NOT NULL,
    CONSTRAINT whatsapp_webhook_events_pkey PRIMARY KEY (id),
    CONSTRAINT whatsapp_webhook_events_dedupe_key_key UNIQUE (dedupe_key)
);
-- GET /api/v1/webhook-events?field=: newest first, keyset paged by id; retention drops the oldest first.
CREATE INDEX whatsapp_webhook_events_field_idx ON whatsapp_webhook_events (field, id);
CREATE INDEX whatsapp_webhook_events_received_at_idx ON whatsapp_webhook_events (received_at);
