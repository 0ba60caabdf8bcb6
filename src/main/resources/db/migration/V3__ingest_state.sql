-- Webhook ingestion and conversations.

-- The business number a session last talked through (replies leave through it), and the Meta timestamp
-- of the customer's last inbound message (the 24-hour customer service window is measured from it).
ALTER TABLE whatsapp_sessions
    ADD COLUMN phone_number_id text,
    ADD COLUMN last_inbound_at timestamptz;

-- Delivery status of a message (OUTBOUND: accepted/sent/delivered/read/played/failed; INBOUND: read when
-- we marked it read). status_rank makes "only move forward" a single monotonic UPDATE.
ALTER TABLE whatsapp_messages
    ADD COLUMN status        text,
    ADD COLUMN status_rank   smallint    NOT NULL DEFAULT 0,
    ADD COLUMN status_at     timestamptz,
    ADD COLUMN status_errors jsonb,
    ADD COLUMN wa_timestamp  timestamptz,
    ADD COLUMN phone_number_id text;

-- Statuses that arrived before the message they describe (Meta does not order webhooks); applied and
-- deleted when the message is stored. One row per (message, status): repeats are no-ops.
CREATE TABLE whatsapp_pending_statuses (
    message_id  text        NOT NULL,
    status      text        NOT NULL,
    status_rank smallint    NOT NULL,
    status_at   timestamptz,
    errors      jsonb,
    payload     jsonb       NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT whatsapp_pending_statuses_pkey PRIMARY KEY (message_id, status)
);

-- Keyset paging: sessions by (updated_at, id), messages of a session newest first.
CREATE INDEX whatsapp_sessions_updated_at_id_idx ON whatsapp_sessions (updated_at DESC, id DESC);
CREATE INDEX whatsapp_messages_session_created_idx ON whatsapp_messages (session_id, created_at DESC, id DESC);
