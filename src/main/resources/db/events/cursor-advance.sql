-- Logs first attempts answered 2xx and moves a subscription's cursor on, in one statement, fenced by the lease:
-- a replica whose lease was taken over moves nothing (and learns so from the empty answer).
-- Parameters: $1 subscription id, $2 dispatcher id, $3 the new cursor, $4 event ids, $5 HTTP statuses,
-- $6 durations in ms (arrays of one element per attempt).
-- An event dropped by retention meanwhile is left out of the log rather than failing the statement.
WITH logged AS (
    INSERT INTO gateway_delivery_attempts (subscription_id, event_id, attempt, status_code, duration_ms)
    SELECT $1, o.event_id, 1, o.status_code, o.duration_ms
    FROM unnest($4::bigint[], $5::int[], $6::int[]) AS o(event_id, status_code, duration_ms)
    JOIN gateway_events e ON e.id = o.event_id
)
UPDATE gateway_subscription_cursors SET cursor_event_id = GREATEST(cursor_event_id, $3)
WHERE subscription_id = $1 AND dispatcher = $2
RETURNING cursor_event_id
