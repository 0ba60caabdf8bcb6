-- Records the outcomes of attempts, several in one statement: each delivery's new state and next try, and a row
-- in the attempt log. A delivered or failed head with deliveries waiting behind it (has_successor) is left
-- unreleased, and release.sql lets the next one go; without any, it is done.
-- Parameters, arrays of one element per attempt: $1 delivery ids, $2 the attempt numbers claimed, $3 states
-- ('pending', 'delivered', 'failed'), $4 next tries (for 'pending'), $5 HTTP statuses (NULL without an answer),
-- $6 errors, $7 durations in ms.
-- Fenced by the attempt number: an attempt whose lease ran out and was claimed again records nothing. Each
-- delivery appears once per call (the dispatcher records one outcome per claim).
-- The rows are locked in id order, as every statement that updates several delivery rows locks them (park.sql,
-- replay-heads.sql), so that two of them never wait for each other.
WITH outcome AS (
    SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::timestamptz[], $5::int[], $6::text[], $7::int[])
        AS o(id, attempt, state, next_attempt_at, status_code, error, duration_ms)
), locked AS (
    SELECT d.id FROM gateway_event_deliveries d JOIN outcome o ON o.id = d.id ORDER BY d.id FOR UPDATE OF d
), finished AS (
    UPDATE gateway_event_deliveries d
    SET state = o.state, next_attempt_at = COALESCE(o.next_attempt_at, d.next_attempt_at),
        last_status = o.status_code, last_error = o.error,
        finished_at = CASE WHEN o.state = 'pending' THEN NULL ELSE now() END,
        -- has_successor as the row's latest version has it: a fan-out that flagged it first is seen here
        released = o.state = 'pending' OR d.subject IS NULL OR NOT d.has_successor
    FROM outcome o, locked l
    WHERE d.id = o.id AND l.id = o.id AND d.attempts = o.attempt AND d.state = 'pending'
    RETURNING d.id, d.subscription_id, d.event_id
)
INSERT INTO gateway_delivery_attempts (delivery_id, subscription_id, event_id, attempt, status_code, error, duration_ms,
                                       next_attempt_at)
SELECT f.id, f.subscription_id, f.event_id, o.attempt, o.status_code, o.error, o.duration_ms, o.next_attempt_at
FROM finished f JOIN outcome o ON o.id = f.id
RETURNING delivery_id
