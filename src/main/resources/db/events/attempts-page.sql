-- A page of one subscription's attempt log, newest first, with the state of the event's delivery now (an attempt
-- made from the cursor and answered 2xx has no delivery row: delivered). The log is two tables ordered together by
-- (id, position): attempt rows (position 0) and runs of first attempts answered 2xx (V20; position 1..n within a
-- run), whose ids come from one sequence. Keyset paged: entries before ($2, $3); the newest when $2 is NULL.
-- Parameters: $1 subscription id, $2 before this id, $3 and this position, $4 page size.
-- A run holds at least one entry, so the $4 + 1 newest runs before the cursor hold a full page; at most $4 entries
-- of them are kept, taken in order, so a page of large runs does not sort every entry of them.
WITH runs AS (
    SELECT r.id, o.position, o.event_id, 1 AS attempt, o.status_code, NULL::text AS error, o.duration_ms,
           r.attempted_at, NULL::timestamptz AS next_attempt_at
    FROM (SELECT * FROM gateway_delivery_runs
          WHERE subscription_id = $1 AND ($2::bigint IS NULL OR id <= $2::bigint)
          ORDER BY id DESC LIMIT $4 + 1) r
    CROSS JOIN LATERAL unnest(r.event_ids, r.status_codes, r.durations_ms) WITH ORDINALITY
        AS o(event_id, status_code, duration_ms, position)
    WHERE $2::bigint IS NULL OR (r.id, o.position) < ($2::bigint, $3::bigint)
    ORDER BY r.id DESC, o.position DESC
    LIMIT $4
), rows AS (
    SELECT a.id, 0::bigint AS position, a.event_id, a.attempt, a.status_code, a.error, a.duration_ms,
           a.attempted_at, a.next_attempt_at
    FROM gateway_delivery_attempts a
    WHERE a.subscription_id = $1 AND ($2::bigint IS NULL OR a.id < $2::bigint)
    ORDER BY a.id DESC
    LIMIT $4
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
