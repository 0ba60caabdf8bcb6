-- A delivery status for a message: moves it forward only (a lower or equal rank is a no-op), so statuses
-- that arrive out of order or twice never move a message backwards; failed (highest rank) keeps its errors.
-- Runs after pg_advisory_xact_lock(hashtext(wamid)), the lock an outbound send takes before storing a wamid.
-- Parameters: $1 wamid, $2 status, $3 rank, $4 Meta timestamp, $5 errors (JSON text or null), $6 the business
-- number the status came from when its signer is a settings row's app secret (null: a configured app secret,
-- which signs for every number). A message of another number is never touched.
-- A forward move appends its whatsapp.message.status event (the message with its new status) in this statement.
-- Returns one row: updated (moved forward), found (the message exists) and other_number (it exists, but was sent
-- or received through another number than $6).
WITH target AS (
    SELECT phone_number_id FROM whatsapp_messages WHERE message_id = $1
), moved AS (
    UPDATE whatsapp_messages
       SET status = $2, status_rank = $3, status_at = $4, status_errors = COALESCE($5::text::jsonb, status_errors)
     WHERE message_id = $1 AND status_rank < $3 AND ($6::text IS NULL OR phone_number_id = $6::text)
    RETURNING *
), event AS (
    INSERT INTO gateway_events (type, phone_number_id, subject, data)
    SELECT 'whatsapp.message.status', COALESCE(m.phone_number_id, ''), m.session_id,
           gateway_event_message(m, s.phone_number)
    FROM moved m JOIN whatsapp_sessions s ON s.id = m.session_id
)
SELECT EXISTS (SELECT 1 FROM moved) AS updated,
       EXISTS (SELECT 1 FROM target) AS found,
       EXISTS (SELECT 1 FROM target
               WHERE $6::text IS NOT NULL AND phone_number_id IS DISTINCT FROM $6::text) AS other_number
