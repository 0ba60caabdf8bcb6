-- Undoes V20__delivery_runs.sql. The runs' first attempts go back into the attempt log as rows of their own (those
-- of events still in the log: the rows before V20 reference their event), in the order they were written.
INSERT INTO gateway_delivery_attempts (subscription_id, event_id, attempt, status_code, duration_ms, attempted_at)
SELECT r.subscription_id, o.event_id, 1, o.status_code, o.duration_ms, r.attempted_at
FROM gateway_delivery_runs r
CROSS JOIN LATERAL unnest(r.event_ids, r.status_codes, r.durations_ms) WITH ORDINALITY
    AS o(event_id, status_code, duration_ms, position)
WHERE EXISTS (SELECT 1 FROM gateway_events e WHERE e.id = o.event_id)
ORDER BY r.id, o.position;
DROP VIEW IF EXISTS gateway_delivery_log;
DROP TABLE IF EXISTS gateway_delivery_runs;
