-- A page of the event log after a cursor, oldest first; only numbered (committed) events.
-- Parameters: $1 after this id, $2 types (NULL: all), $3 phone_number_id (NULL: all), $4 page size.
SELECT id, type, phone_number_id, subject, occurred_at, data::text AS data
FROM gateway_events
WHERE id > $1
  AND ($2::text[] IS NULL OR type = ANY ($2::text[]))
  AND ($3::text IS NULL OR phone_number_id = $3::text)
ORDER BY id
LIMIT $4
