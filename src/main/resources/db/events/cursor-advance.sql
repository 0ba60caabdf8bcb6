-- Logs first attempts answered 2xx and moves a subscription's cursor on, in one statement, fenced by the lease:
-- a replica whose lease was taken over moves nothing and logs nothing (and learns so from the empty answer).
-- The attempts are logged as one run (gateway_delivery_runs, V20): a row of parallel arrays, not a row per event.
-- Parameters: $1 subscription id, $2 dispatcher id, $3 the new cursor, $4 event ids, $5 HTTP statuses,
-- $6 durations in ms (arrays of one element per attempt; empty: only the cursor moves).
WITH moved AS (
    UPDATE gateway_subscription_cursors SET cursor_event_id = GREATEST(cursor_event_id, $3)
    WHERE subscription_id = $1 AND dispatcher = $2
    RETURNING cursor_event_id
), logged AS (
    INSERT INTO gateway_delivery_runs (subscription_id, event_ids, status_codes, durations_ms)
    SELECT $1, $4::bigint[], $5::int[], $6::int[]
    WHERE cardinality($4::bigint[]) > 0 AND EXISTS (SELECT 1 FROM moved)
)
SELECT cursor_event_id FROM moved
