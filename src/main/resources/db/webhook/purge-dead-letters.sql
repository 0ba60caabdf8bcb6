-- Drops dead letters past their retention (gateway.whatsapp.dead-letter-retention), oldest first, at most $2
-- per statement so that a backlog never becomes one long delete.
-- Parameters: $1 cutoff (received before it), $2 batch size. SKIP LOCKED: rows another replica's purge
-- holds are left to it, so concurrent purges neither wait nor drop anything twice.
DELETE FROM whatsapp_dead_letters WHERE id IN (
    SELECT id FROM whatsapp_dead_letters WHERE received_at < $1
    ORDER BY received_at LIMIT $2 FOR UPDATE SKIP LOCKED)
