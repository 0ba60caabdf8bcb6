-- Claims up to $2 due deliveries for one attempt each: increments attempts and pushes next_attempt_at to the end
-- of the lease ($3), so no other replica takes them while this one tries (and any replica does once the lease
-- ends, if this one died). Only the head of a session's queue is due (the others wait with no next_attempt_at
-- until release.sql lets them go), so per-session order holds and other sessions are not held up; the scan
-- reads due heads from the next_attempt_at index, however long the queues behind them are.
-- Parameters: $1 now, $2 most deliveries, $3 end of the lease.
-- Safe with any number of replicas: FOR UPDATE SKIP LOCKED hands each row to one claim, and the claim commits
-- at once, so the pushed next_attempt_at keeps the row from the others.
WITH due AS (
    SELECT d.id
    FROM gateway_event_deliveries d
    JOIN gateway_subscriptions s ON s.id = d.subscription_id AND s.is_active
    WHERE d.state = 'pending' AND d.next_attempt_at <= $1
    ORDER BY d.next_attempt_at
    LIMIT $2
    FOR UPDATE OF d SKIP LOCKED
)
UPDATE gateway_event_deliveries d
SET attempts = d.attempts + 1, next_attempt_at = $3
FROM due, gateway_events e, gateway_subscriptions s
WHERE d.id = due.id AND e.id = d.event_id AND s.id = d.subscription_id
RETURNING d.id, d.attempts, d.created_at, d.subscription_id, s.url, s.secret,
          e.id AS event_id, e.type, e.phone_number_id, e.subject, e.occurred_at, e.data::text AS data
