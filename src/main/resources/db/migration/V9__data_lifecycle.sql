-- Data lifecycle: per-number retention of messages.

-- A business number's own message retention, overriding gateway.retention.messages for its messages.
CREATE TABLE gateway_retention_overrides (
    phone_number_id text        NOT NULL,
    messages        interval    NOT NULL CHECK (messages > interval '0'),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT gateway_retention_overrides_pkey PRIMARY KEY (phone_number_id)
);

-- Retention scans messages by their timestamp (Meta's, else when stored), oldest first.
CREATE INDEX whatsapp_messages_retention_idx ON whatsapp_messages ((COALESCE(wa_timestamp, created_at)));
