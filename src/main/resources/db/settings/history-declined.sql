-- The latest decline of history sharing of one business number (a history webhook's errors, e.g. 2593109), V17.
-- Parameter: $1 phone_number_id.
SELECT errors::text AS errors, received_at
FROM whatsapp_history_chunks
WHERE phone_number_id = $1 AND errors IS NOT NULL
ORDER BY received_at DESC, id DESC
LIMIT 1
