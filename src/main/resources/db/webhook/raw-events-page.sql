-- A page of the raw webhook changes, newest first, keyset paged by id.
-- Parameters: $1 field (NULL: any), $2 before this id (NULL: first page), $3 page size.
SELECT id, field, entry_id, entry_time, reason, payload::text AS payload, received_at
FROM whatsapp_webhook_events
WHERE ($1::text IS NULL OR field = $1::text)
  AND ($2::bigint IS NULL OR id < $2::bigint)
ORDER BY id DESC
LIMIT $3
