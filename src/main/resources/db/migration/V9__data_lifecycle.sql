-- Data lifecycle: per-number retention of messages, and the audit log of admin writes.

-- A business number's own message retention, overriding gateway.retention.messages for its messages.
CREATE TABLE gateway_retention_overrides (
    phone_number_id text        NOT NULL,
    messages        interval    NOT NULL CHECK (messages > interval '0'),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT gateway_retention_overrides_pkey PRIMARY KEY (phone_number_id)
);

-- Retention scans messages by their timestamp (Meta's, else when stored), oldest first.
CREATE INDEX whatsapp_messages_retention_idx ON whatsapp_messages ((COALESCE(wa_timestamp, created_at)));

-- One row per admin write: who (a fingerprint of the admin key, or 'cli'), what, and the outcome. Never a body
-- or a secret.
CREATE TABLE gateway_audit_log (
    id            bigint GENERATED ALWAYS AS IDENTITY,
    at            timestamptz NOT NULL DEFAULT now(),
    actor         text        NOT NULL,
    method        text        NOT NULL,
    resource_type text        NOT NULL,
    resource_id   text,
    status        smallint    NOT NULL,
    CONSTRAINT gateway_audit_log_pkey PRIMARY KEY (id)
);
CREATE INDEX gateway_audit_log_at_idx ON gateway_audit_log (at DESC, id DESC);
