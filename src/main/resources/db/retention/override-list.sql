-- The overrides: all of them ($1 NULL) or one number's. One row per business number, so the list stays small.
-- Parameters: $1 phone_number_id or NULL. A plain read.
SELECT phone_number_id, extract(epoch FROM messages)::bigint AS messages_seconds, updated_at
FROM gateway_retention_overrides WHERE $1::text IS NULL OR phone_number_id = $1 ORDER BY phone_number_id
