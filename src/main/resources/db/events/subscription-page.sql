-- A page of subscriptions, newest first (created_at desc, id desc), keyset paged.
-- Parameters: $1 cursor's created_at (NULL: first page), $2 cursor's id, $3 page size.
SELECT id, url, event_types, phone_number_ids, is_active, created_at, updated_at
FROM gateway_subscriptions
WHERE $1::timestamptz IS NULL OR (created_at, id) < ($1::timestamptz, $2::uuid)
ORDER BY created_at DESC, id DESC
LIMIT $3
