-- The edits and revokes kept for originals that are stored now (the original arrived after them, or raced them),
-- oldest first, at most $1: each is then applied with edit-apply.sql under its original's lock.
SELECT e.edit_id, e.original_message_id, e.kind, e.message_type, e.content, e.payload::text AS payload, e.edited_at,
       e.phone_number_id
FROM whatsapp_pending_edits e
WHERE EXISTS (SELECT 1 FROM whatsapp_messages m WHERE m.message_id = e.original_message_id)
ORDER BY e.edited_at, e.edit_id
LIMIT $1
