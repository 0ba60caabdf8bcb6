-- Drops up to $2 numbered events older than $1, oldest first, with their deliveries and attempts (cascade).
-- Skips rows another replica's purge holds, so that replicas purging at once do not wait for each other.
DELETE FROM gateway_events WHERE seq IN (
    SELECT seq FROM gateway_events WHERE id IS NOT NULL AND occurred_at < $1
    ORDER BY occurred_at LIMIT $2 FOR UPDATE SKIP LOCKED)
