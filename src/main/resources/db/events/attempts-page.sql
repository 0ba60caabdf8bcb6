-- A page of one subscription's attempt log, newest first, keyset paged by attempt id.
-- Parameters: $1 subscription id, $2 before this attempt id (NULL: first page), $3 only this event (NULL: all),
-- $4 page size.
SELECT a.id, d.event_id, a.attempt, a.status_code, a.error, a.duration_ms, a.attempted_at, a.next_attempt_at,
       d.state
FROM gateway_delivery_attempts a
JOIN gateway_event_deliveries d ON d.id = a.delivery_id
WHERE a.subscription_id = $1
  AND ($2::bigint IS NULL OR a.id < $2::bigint)
  AND ($3::bigint IS NULL OR d.event_id = $3::bigint)
ORDER BY a.id DESC
LIMIT $4
