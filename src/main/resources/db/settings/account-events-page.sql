-- A page of one settings row's account events, newest first, keyset paged by id.
-- Parameters: $1 settings id, $2 before this id (NULL: first page), $3 page size.
SELECT id, settings_id, waba_id, field, event, quality_rating, messaging_limit_tier, account_status,
       details::text AS details, value::text AS value, event_at, received_at
FROM whatsapp_account_events
WHERE settings_id = $1 AND ($2::bigint IS NULL OR id < $2::bigint)
ORDER BY id DESC
LIMIT $3
