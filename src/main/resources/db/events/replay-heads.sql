-- After a replay, for each given session of the subscription: a due head gets the replayed deliveries behind it
-- (has_successor); a session without one has its earliest waiting delivery made due. Parameters: $1 subscription
-- id, $2 the sessions (uuid[]) that got deliveries.
-- Runs in the replay's transaction, which holds the sequencer, after replay.sql (whose rows it sees). The decision
-- follows the flag's UPDATE, not the snapshot: a head completed meanwhile is not returned (its recheck fails), so
-- its session is released here; one completing after this commit reads has_successor and stays unreleased, and
-- release.sql never makes a second delivery of a session due.
WITH due AS (
    -- locked in id order, as attempt.sql locks the rows it records (no deadlock between the two)
    SELECT h.id FROM gateway_event_deliveries h
    WHERE h.subscription_id = $1 AND h.subject = ANY ($2::uuid[]) AND h.state = 'pending'
      AND h.next_attempt_at IS NOT NULL
    ORDER BY h.id
    FOR UPDATE
), flagged AS (
    UPDATE gateway_event_deliveries h SET has_successor = true
    FROM due WHERE h.id = due.id AND h.state = 'pending' AND h.next_attempt_at IS NOT NULL
    RETURNING h.subject
), heads AS (
    SELECT DISTINCT ON (w.subject) w.id, w.subject
    FROM gateway_event_deliveries w
    WHERE w.subscription_id = $1 AND w.subject = ANY ($2::uuid[]) AND w.state = 'pending'
      AND w.next_attempt_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM flagged f WHERE f.subject = w.subject)
    ORDER BY w.subject, w.event_id
)
UPDATE gateway_event_deliveries d SET next_attempt_at = now(),
    has_successor = EXISTS (SELECT 1 FROM gateway_event_deliveries w
                            WHERE w.subscription_id = d.subscription_id AND w.subject = d.subject
                              AND w.state = 'pending' AND w.next_attempt_at IS NULL AND w.id <> d.id)
FROM heads h WHERE d.id = h.id
