-- Ends a download job held under lease $2: stored ($3 = 'stored', with the file's hex SHA-256 $5, its size $6 and
-- Meta's MIME type $7) or failed for good ($3 = 'failed', reason $4). Appends whatsapp.media.stored or
-- whatsapp.media.failed in the same statement (the event commits with the change), with the message's session as
-- its subject. No row: the lease was lost, nothing changes.
WITH done AS (
    UPDATE gateway_media
    SET status = $3, error = $4, sha256 = COALESCE($5, sha256), file_size = COALESCE($6, file_size),
        mime_type = COALESCE($7, mime_type), lease_token = NULL, lease_until = NULL, updated_at = now()
    WHERE message_id = $1 AND lease_token = $2 AND status = 'pending'
    RETURNING *
), events AS (
    INSERT INTO gateway_events (type, phone_number_id, subject, data)
    SELECT 'whatsapp.media.' || d.status, d.phone_number_id, m.session_id,
           jsonb_build_object('messageId', m.id, 'wamid', m.message_id, 'sessionId', m.session_id,
                              'mediaId', d.media_id, 'mediaType', d.media_type, 'mimeType', d.mime_type,
                              'fileSize', d.file_size, 'sha256', d.sha256, 'filename', d.filename,
                              'status', d.status, 'error', d.error, 'phoneNumberId', d.phone_number_id)
    FROM done d JOIN whatsapp_messages m ON m.id = d.message_id
)
SELECT message_id FROM done
