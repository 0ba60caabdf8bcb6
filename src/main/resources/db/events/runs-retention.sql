-- Drops up to $2 runs of first attempts (V20) made before $1, the events' retention cutoff: every event of such a
-- run occurred before it was attempted, so before the cutoff, and has left the log (retention.sql) or is leaving it.
-- Skips rows another replica's purge holds.
DELETE FROM gateway_delivery_runs WHERE id IN (
    SELECT id FROM gateway_delivery_runs WHERE attempted_at < $1
    ORDER BY attempted_at LIMIT $2 FOR UPDATE SKIP LOCKED)
