-- Drops up to $2 audit rows older than $1, oldest first. Skips rows another replica's purge holds, so that replicas
-- purging at once neither wait for each other nor count a row twice.
DELETE FROM gateway_audit_log WHERE id IN (
    SELECT id FROM gateway_audit_log WHERE occurred_at < $1
    ORDER BY occurred_at LIMIT $2 FOR UPDATE SKIP LOCKED)
