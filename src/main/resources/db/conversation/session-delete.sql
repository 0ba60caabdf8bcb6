-- Last step of deleting a session: keep a tombstone for the wamid of each of its messages (so that Meta's retries
-- are answered as duplicates and not stored again), then delete it; its messages go with it (ON DELETE CASCADE).
-- Appends a whatsapp.session.deleted event (ids and phone numbers only: the messages are gone).
-- Parameter: $1 session id. Returns the deleted session's id (no row when there was none).
WITH tombstones AS (
    INSERT INTO whatsapp_deleted_messages (message_id, deleted_at)
    SELECT message_id, now() FROM whatsapp_messages WHERE session_id = $1
    ON CONFLICT (message_id) DO UPDATE SET deleted_at = EXCLUDED.deleted_at
), deleted AS (
    DELETE FROM whatsapp_sessions WHERE id = $1
    RETURNING id, phone_number, phone_number_id
), event AS (
    INSERT INTO gateway_events (type, phone_number_id, subject, data)
    SELECT 'whatsapp.session.deleted', COALESCE(d.phone_number_id, ''), d.id,
           jsonb_build_object('id', d.id, 'sessionId', d.id, 'phoneNumber', d.phone_number,
                              'phoneNumberId', d.phone_number_id, 'deletedAt', gateway_json_time(now()))
    FROM deleted d
)
SELECT id FROM deleted
