-- Hands events read from a subscription's cursor over to delivery rows, in event order per session: an event whose
-- first attempt failed (retry_at set: its next try; its attempt logged) and the events of its session behind it, or
-- events of a session that already has a pending delivery row. Like a fan-out: the first of a session in this call
-- is due (at retry_at, else now) when the session has neither a due delivery nor waiting ones; the others wait
-- (next_attempt_at NULL) and release.sql lets them go one by one; a due head gets has_successor.
-- Parameters: $1 subscription id, then arrays of one element per event: $2 event ids, $3 sessions, $4 next tries
-- (NULL: not tried yet), $5 HTTP statuses, $6 errors, $7 durations in ms.
-- Runs in a transaction holding the sequencer (Deliveries.park), so no release or replay runs beside it; the
-- head's row lock orders the has_successor flag with the head's completion (attempt.sql). An event that already
-- has a delivery row (handed over before a restart) is left as it is, and one deleted meanwhile is left out.
WITH input AS (
    SELECT * FROM unnest($2::bigint[], $3::uuid[], $4::timestamptz[], $5::int[], $6::text[], $7::int[])
        AS i(event_id, subject, retry_at, status_code, error, duration_ms)
), matched AS (
    SELECT i.*, row_number() OVER (PARTITION BY i.subject ORDER BY i.event_id) AS nth FROM input i
), heads AS (
    -- locked in id order, as attempt.sql locks the rows it records (no deadlock between the two)
    SELECT h.id FROM gateway_event_deliveries h
    WHERE h.subscription_id = $1 AND h.state = 'pending' AND h.next_attempt_at IS NOT NULL
      AND h.subject IN (SELECT subject FROM matched WHERE subject IS NOT NULL)
    ORDER BY h.id
    FOR UPDATE
), flagged AS (
    UPDATE gateway_event_deliveries h SET has_successor = true
    FROM heads WHERE h.id = heads.id AND h.state = 'pending' AND h.next_attempt_at IS NOT NULL
    RETURNING h.subject
), parked AS (
    INSERT INTO gateway_event_deliveries (subscription_id, event_id, subject, attempts, next_attempt_at,
                                          has_successor, last_status, last_error)
    SELECT $1, m.event_id, m.subject, CASE WHEN m.retry_at IS NULL THEN 0 ELSE 1 END,
           CASE WHEN m.subject IS NULL OR (m.nth = 1
                    AND NOT EXISTS (SELECT 1 FROM flagged f WHERE f.subject = m.subject)
                    AND NOT EXISTS (SELECT 1 FROM gateway_event_deliveries w
                                    WHERE w.subscription_id = $1 AND w.subject = m.subject
                                      AND w.state = 'pending' AND w.next_attempt_at IS NULL))
                THEN COALESCE(m.retry_at, now()) END,
           m.nth = 1 AND m.subject IS NOT NULL
               AND EXISTS (SELECT 1 FROM matched l WHERE l.subject = m.subject AND l.nth = 2),
           m.status_code, m.error
    FROM matched m
    -- an event deleted meanwhile (its customer erased, its session deleted, or past retention) is not handed over:
    -- its row would be refused, and the hand-over tried again for ever
    JOIN gateway_events e ON e.id = m.event_id
    ON CONFLICT (subscription_id, event_id) DO NOTHING
    RETURNING id, event_id
), logged AS (
    INSERT INTO gateway_delivery_attempts (delivery_id, subscription_id, event_id, attempt, status_code, error,
                                           duration_ms, next_attempt_at)
    SELECT p.id, $1, p.event_id, 1, m.status_code, m.error, m.duration_ms, m.retry_at
    FROM parked p JOIN matched m ON m.event_id = p.event_id
    WHERE m.retry_at IS NOT NULL
)
SELECT count(*) AS parked FROM parked
