-- A status for a message not stored (yet): kept until the message appears (Meta does not order webhooks);
-- never for a wamid of a deleted conversation (tombstone, V5) or of an erased customer (hashed, V8), whose message
-- will not come back.
-- Runs after pg_advisory_xact_lock(hashtext(wamid)), once status-update.sql found no message.
-- Parameters: $1 wamid, $2 status, $3 rank, $4 Meta timestamp, $5 errors (JSON text or null), $6 raw status JSON.
-- Returns one row: deleted (the wamid has a tombstone, nothing kept).
WITH deleted AS (
    SELECT 1 FROM whatsapp_deleted_messages WHERE message_id = $1
    UNION ALL
    SELECT 1 FROM whatsapp_erased_messages WHERE message_hash = gateway_erasure_hash($1)
), kept AS (
    INSERT INTO whatsapp_pending_statuses (message_id, status, status_rank, status_at, errors, payload)
    SELECT $1, $2, $3::smallint, $4::timestamptz, $5::text::jsonb, $6::text::jsonb
    WHERE NOT EXISTS (SELECT 1 FROM deleted)
    ON CONFLICT (message_id, status) DO NOTHING
)
SELECT EXISTS (SELECT 1 FROM deleted) AS deleted
