-- A page of one subscription's attempt log, newest first, keyset paged by attempt id, with the state of the
-- event's delivery now (an attempt made from the cursor and answered 2xx has no delivery row: delivered).
-- Parameters: $1 subscription id, $2 before this attempt id (NULL: first page), $3 only this event (NULL: all),
-- $4 page size.
SELECT a.id, a.event_id, a.attempt, a.status_code, a.error, a.duration_ms, a.attempted_at, a.next_attempt_at,
       COALESCE(d.state, 'delivered') AS state
FROM gateway_delivery_attempts a
LEFT JOIN gateway_event_deliveries d ON d.subscription_id = a.subscription_id AND d.event_id = a.event_id
WHERE a.subscription_id = $1
  AND ($2::bigint IS NULL OR a.id < $2::bigint)
  AND ($3::bigint IS NULL OR a.event_id = $3::bigint)
ORDER BY a.id DESC
LIMIT $4
