-- Applies (and removes) the statuses kept for a message that was just stored: the highest rank wins (then the
-- latest), only if above the row's rank; a failure keeps its errors. One statement, so the kept rows are consumed
-- exactly when applied. The send path (after outbound-message.sql) and the send repair both run it.
-- A forward move appends its whatsapp.message.status event. Runs after pg_advisory_xact_lock(hashtext(wamid)).
-- Parameter: $1 wamid. Its answer: one row, the status the message moved to, when it moved; none otherwise.
WITH pending AS (
    DELETE FROM whatsapp_pending_statuses WHERE message_id = $1
    RETURNING status, status_rank, status_at, errors
), best AS (
    SELECT * FROM pending ORDER BY status_rank DESC, status_at DESC NULLS LAST LIMIT 1
), moved AS (
    UPDATE whatsapp_messages m
       SET status = best.status, status_rank = best.status_rank, status_at = best.status_at,
           status_errors = COALESCE(best.errors, m.status_errors)
      FROM best
     WHERE m.message_id = $1 AND m.status_rank < best.status_rank
    RETURNING m.*
), event AS (
    INSERT INTO gateway_events (type, phone_number_id, subject, data)
    SELECT 'whatsapp.message.status', COALESCE(m.phone_number_id, ''), m.session_id,
           gateway_event_message(m, s.phone_number)
    FROM moved m JOIN whatsapp_sessions s ON s.id = m.session_id
)
SELECT status FROM moved
