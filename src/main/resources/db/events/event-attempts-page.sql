-- A page of one subscription's attempt log for one event, newest first, as attempts-page.sql pages the whole log:
-- attempt rows of the event and its entries in runs (found by the runs' event index).
-- Parameters: $1 subscription id, $2 before this id, $3 and this position, $4 page size, $5 the event id.
WITH runs AS (
    SELECT r.id, o.position, o.event_id, 1 AS attempt, o.status_code, NULL::text AS error, o.duration_ms,
           r.attempted_at, NULL::timestamptz AS next_attempt_at
    FROM gateway_delivery_runs r
    CROSS JOIN LATERAL unnest(r.event_ids, r.status_codes, r.durations_ms) WITH ORDINALITY
        AS o(event_id, status_code, duration_ms, position)
    WHERE r.event_ids @> ARRAY[$5::bigint] AND r.subscription_id = $1 AND o.event_id = $5::bigint
      AND ($2::bigint IS NULL OR (r.id, o.position) < ($2::bigint, $3::bigint))
), rows AS (
    SELECT a.id, 0::bigint AS position, a.event_id, a.attempt, a.status_code, a.error, a.duration_ms,
           a.attempted_at, a.next_attempt_at
    FROM gateway_delivery_attempts a
    WHERE a.event_id = $5::bigint AND a.subscription_id = $1 AND ($2::bigint IS NULL OR a.id < $2::bigint)
), log AS (
    SELECT * FROM (SELECT * FROM runs UNION ALL SELECT * FROM rows) l
    ORDER BY l.id DESC, l.position DESC
    LIMIT $4
)
SELECT l.id, l.position, l.event_id, l.attempt, l.status_code, l.error, l.duration_ms, l.attempted_at,
       l.next_attempt_at, COALESCE(d.state, 'delivered') AS state
FROM log l
LEFT JOIN gateway_event_deliveries d ON d.subscription_id = $1 AND d.event_id = l.event_id
ORDER BY l.id DESC, l.position DESC
