-- Queues events of the log again for one subscription: numbered events from an id or a time on, matching its
-- types and numbers, oldest first, at most $4. An event already waiting for this subscription is left as it is;
-- one delivered or failed is queued again (its attempt log kept, its retry period counted from now); one never
-- fanned out to it (older than the subscription, or outside its filters then) gets a delivery. Every queued
-- delivery waits (next_attempt_at NULL); replay-heads.sql then makes each session's first one due.
-- Parameters: $1 subscription id, $2 from this event id (NULL: by time), $3 from this time (NULL: by id),
-- $4 most events.
-- Runs in the transaction that holds the sequencer (Deliveries.replay), so no fan-out or release runs beside it.
WITH sub AS (
    SELECT id, event_types, phone_number_ids FROM gateway_subscriptions WHERE id = $1
), picked AS (
    SELECT e.id, e.subject
    FROM gateway_events e, sub s
    WHERE e.id IS NOT NULL
      AND ($2::bigint IS NULL OR e.id >= $2::bigint)
      AND ($3::timestamptz IS NULL OR e.occurred_at >= $3::timestamptz)
      AND (s.event_types IS NULL OR e.type = ANY (s.event_types))
      AND (s.phone_number_ids IS NULL OR e.phone_number_id = ANY (s.phone_number_ids))
    ORDER BY e.id
    LIMIT $4
), queued AS (
    INSERT INTO gateway_event_deliveries (subscription_id, event_id, subject, next_attempt_at)
    SELECT $1, p.id, p.subject, CASE WHEN p.subject IS NULL THEN now() END FROM picked p
    ON CONFLICT (subscription_id, event_id) DO UPDATE
        SET state = 'pending', next_attempt_at = CASE WHEN excluded.subject IS NULL THEN now() END,
            released = true, has_successor = false, created_at = now(), finished_at = NULL
        WHERE gateway_event_deliveries.state <> 'pending'
    RETURNING subject
)
SELECT (SELECT count(*) FROM queued) AS queued, (SELECT max(id) FROM picked) AS last_event_id,
       (SELECT count(*) FROM picked) AS picked,
       ARRAY(SELECT DISTINCT subject FROM queued WHERE subject IS NOT NULL) AS subjects
