-- Releases the next delivery of each session whose head was delivered or failed with deliveries waiting behind it
-- (attempt.sql left it unreleased): the earliest waiting delivery
-- (next_attempt_at NULL) of that session and subscription becomes due now, unless the session already has a due
-- one (a replay or fan-out made it). Marks up to $1 finished deliveries released.
-- Parameters: $1 most finished deliveries per run.
-- Runs in the transaction that holds the sequencer (sequencer-lock.sql), after sequence.sql, so no fan-out or
-- replay runs beside it and it sees their deliveries; a head finishing after this statement's snapshot stays
-- unreleased and is handled by the next run, which its completion wakes.
WITH finished AS (
    SELECT id, subscription_id, subject
    FROM gateway_event_deliveries
    WHERE NOT released
    ORDER BY id
    LIMIT $1
    FOR UPDATE SKIP LOCKED
), marked AS (
    UPDATE gateway_event_deliveries d SET released = true FROM finished f WHERE d.id = f.id
), heads AS (
    SELECT DISTINCT nxt.id
    FROM (SELECT DISTINCT subscription_id, subject FROM finished WHERE subject IS NOT NULL) f
    CROSS JOIN LATERAL (
        SELECT w.id FROM gateway_event_deliveries w
        WHERE w.subscription_id = f.subscription_id AND w.subject = f.subject AND w.state = 'pending'
          AND w.next_attempt_at IS NULL
        ORDER BY w.event_id
        LIMIT 1) nxt
    WHERE NOT EXISTS (SELECT 1 FROM gateway_event_deliveries p
                      WHERE p.subscription_id = f.subscription_id AND p.subject = f.subject
                        AND p.state = 'pending' AND p.next_attempt_at IS NOT NULL)
), released AS (
    UPDATE gateway_event_deliveries d SET next_attempt_at = now(),
        has_successor = EXISTS (SELECT 1 FROM gateway_event_deliveries w
                                WHERE w.subscription_id = d.subscription_id AND w.subject = d.subject
                                  AND w.state = 'pending' AND w.next_attempt_at IS NULL AND w.id <> d.id)
    FROM heads h WHERE d.id = h.id
    RETURNING 1
)
SELECT (SELECT count(*) FROM finished) AS finished, (SELECT count(*) FROM released) AS released
