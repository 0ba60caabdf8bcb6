-- Records the outcome of one attempt: the delivery's new state and next try, and a row in its attempt log.
-- Parameters: $1 delivery id, $2 the attempt number claimed, $3 state ('pending', 'delivered', 'failed'),
-- $4 next try (for 'pending'), $5 HTTP status (NULL without an answer), $6 error, $7 duration in ms.
-- Fenced by the attempt number: an attempt whose lease ran out and was claimed again records nothing.
WITH finished AS (
    UPDATE gateway_event_deliveries
    SET state = $3, next_attempt_at = COALESCE($4, next_attempt_at), last_status = $5, last_error = $6,
        finished_at = CASE WHEN $3 = 'pending' THEN NULL ELSE now() END
    WHERE id = $1 AND attempts = $2 AND state = 'pending'
    RETURNING id
)
INSERT INTO gateway_delivery_attempts (delivery_id, attempt, status_code, error, duration_ms, next_attempt_at)
SELECT id, $2, $5, $6, $7, $4 FROM finished
