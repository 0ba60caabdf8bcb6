-- A delivery status for a message: moves it forward only (a lower or equal rank is a no-op), so statuses
-- that arrive out of order or twice never move a message backwards; failed (highest rank) keeps its errors.
-- Runs after pg_advisory_xact_lock(hashtext(wamid)), the lock an outbound send takes before storing a wamid.
-- Parameters: $1 wamid, $2 status, $3 rank, $4 Meta timestamp, $5 errors (JSON text or null).
-- Returns one row: updated (moved forward) and found (the message exists).
WITH moved AS (
    UPDATE whatsapp_messages
       SET status = $2, status_rank = $3, status_at = $4, status_errors = COALESCE($5::text::jsonb, status_errors)
     WHERE message_id = $1 AND status_rank < $3
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM moved) AS updated,
       EXISTS (SELECT 1 FROM whatsapp_messages WHERE message_id = $1) AS found
