-- Drops edits and revokes kept for messages that never appeared (edit-apply.sql) past the retention of early
-- statuses (gateway.whatsapp.pending-status-retention), oldest first, at most $2 per statement.
-- Parameters: $1 cutoff (received before it), $2 batch size. SKIP LOCKED as purge-pending-statuses.sql.
DELETE FROM whatsapp_pending_edits WHERE edit_id IN (
    SELECT edit_id FROM whatsapp_pending_edits WHERE received_at < $1
    ORDER BY received_at LIMIT $2 FOR UPDATE SKIP LOCKED)
