-- Last step of deleting a session: keep a tombstone for the wamid of each of its messages (so that Meta's retries
-- are answered as duplicates and not stored again), then delete it; its messages go with it (ON DELETE CASCADE).
-- Parameter: $1 session id. Returns the number of sessions deleted (0 or 1).
WITH tombstones AS (
    INSERT INTO whatsapp_deleted_messages (message_id, deleted_at)
    SELECT message_id, now() FROM whatsapp_messages WHERE session_id = $1
    ON CONFLICT (message_id) DO UPDATE SET deleted_at = EXCLUDED.deleted_at
)
DELETE FROM whatsapp_sessions WHERE id = $1
