-- Our read receipt for an inbound message: status read, never moving a status backwards (a lower or equal rank
-- is a no-op, so a repeated receipt changes nothing).
-- A move appends its whatsapp.message.status event; the row count is 1 when the status moved.
-- Parameters: $1 message id, $2 status, $3 its rank, $4 time.
WITH moved AS (
    UPDATE whatsapp_messages
       SET status = $2, status_rank = $3, status_at = $4
     WHERE id = $1 AND status_rank < $3
    RETURNING *
)
INSERT INTO gateway_events (type, phone_number_id, subject, data)
SELECT 'whatsapp.message.status', COALESCE(m.phone_number_id, ''), m.session_id, gateway_event_message(m, s.phone_number)
FROM moved m JOIN whatsapp_sessions s ON s.id = m.session_id
