-- A status for a message not stored (yet): kept until the message appears (Meta does not order webhooks).
-- Parameters: $1 wamid, $2 status, $3 rank, $4 Meta timestamp, $5 errors (JSON text or null), $6 raw status JSON.
INSERT INTO whatsapp_pending_statuses (message_id, status, status_rank, status_at, errors, payload)
VALUES ($1, $2, $3, $4, $5::text::jsonb, $6::text::jsonb)
ON CONFLICT (message_id, status) DO NOTHING
