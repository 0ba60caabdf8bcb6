-- After a replay: in each given session of the subscription that has no due delivery, the earliest waiting one
-- becomes due. Parameters: $1 subscription id, $2 the sessions (uuid[]) that got deliveries.
-- Runs in the replay's transaction, which holds the sequencer, after replay.sql (whose rows it sees).
UPDATE gateway_event_deliveries d SET next_attempt_at = now()
FROM (SELECT DISTINCT ON (w.subject) w.id
      FROM gateway_event_deliveries w
      WHERE w.subscription_id = $1 AND w.subject = ANY ($2::uuid[]) AND w.state = 'pending'
        AND w.next_attempt_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM gateway_event_deliveries p
                        WHERE p.subscription_id = w.subscription_id AND p.subject = w.subject
                          AND p.state = 'pending' AND p.next_attempt_at IS NOT NULL)
      ORDER BY w.subject, w.event_id) h
WHERE d.id = h.id
