-- Drops statuses kept for messages that never appeared (status-batch.sql) past their retention
-- (gateway.whatsapp.pending-status-retention), oldest first, at most $2 per statement so that a backlog
-- never becomes one long delete.
-- Parameters: $1 cutoff (received before it), $2 batch size. SKIP LOCKED: rows another replica's purge (or a
-- transaction applying them) holds are left alone, so the purge neither waits nor drops anything twice.
DELETE FROM whatsapp_pending_statuses WHERE (message_id, status) IN (
    SELECT message_id, status FROM whatsapp_pending_statuses WHERE received_at < $1
    ORDER BY received_at LIMIT $2 FOR UPDATE SKIP LOCKED)
