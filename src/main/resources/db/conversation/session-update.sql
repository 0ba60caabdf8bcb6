-- The host application's change of a session through the admin API: its state and/or its context data, and
-- always updated_at, even when nothing else changes (clients poll by updatedSince).
-- Parameters: $1 session id, $2 state (null keeps it), $3 true to replace context_data, $4 the new context data
-- (JSON text; null clears it), $5 time.
-- Appends the session's whatsapp.session.updated event (the session as the admin API shows it, after the change).
-- Returns the id; no row when there is no such session.
WITH updated AS (
    UPDATE whatsapp_sessions
       SET state = COALESCE($2::text::whatsapp_session_state, state),
           context_data = CASE WHEN $3 THEN $4::text::jsonb ELSE context_data END,
           updated_at = $5
     WHERE id = $1
    RETURNING *
), event AS (
    INSERT INTO gateway_events (type, phone_number_id, subject, data)
    SELECT 'whatsapp.session.updated', COALESCE(s.phone_number_id, ''), s.id, gateway_event_session(s) FROM updated s
)
SELECT id FROM updated
