-- The media of messages $1 (uuid[]), with an outbound message's upload by Meta's media id $2 (text[], parallel to
-- $1, NULL where the message has no such id): the message's own download job first, else the upload.
SELECT i.id AS message_id, COALESCE(g.mime_type, u.mime_type) AS mime_type,
       COALESCE(g.file_size, u.file_size) AS file_size, COALESCE(g.sha256, u.sha256) AS sha256,
       COALESCE(g.filename, u.filename) AS filename,
       CASE WHEN g.message_id IS NOT NULL THEN g.status ELSE 'stored' END AS status, g.error,
       (SELECT f.store FROM gateway_media_files f WHERE f.sha256 = COALESCE(g.sha256, u.sha256)) AS store,
       (SELECT f.chunk_bytes FROM gateway_media_files f WHERE f.sha256 = COALESCE(g.sha256, u.sha256)) AS chunk_bytes
FROM unnest($1::uuid[], $2::text[]) AS i (id, media_id)
LEFT JOIN gateway_media g ON g.message_id = i.id
LEFT JOIN gateway_media_uploads u ON g.message_id IS NULL AND u.media_id = i.media_id
WHERE g.message_id IS NOT NULL OR u.media_id IS NOT NULL
