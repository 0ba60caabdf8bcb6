-- Drops up to $2 raw webhook changes received before $1, oldest first. Skips rows another replica's purge holds, so
-- that replicas purging at once neither wait for each other nor count a row twice.
DELETE FROM whatsapp_webhook_events WHERE id IN (
    SELECT id FROM whatsapp_webhook_events WHERE received_at < $1
    ORDER BY received_at LIMIT $2 FOR UPDATE SKIP LOCKED)
