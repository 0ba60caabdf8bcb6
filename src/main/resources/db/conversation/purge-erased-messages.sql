-- Drops the hashed wamids of erased customers' messages (V8) older than the cutoff, oldest first, at most $2 per
-- statement. Parameters: $1 cutoff (erased before it), $2 batch size. SKIP LOCKED as in purge-erased-customers.sql.
DELETE FROM whatsapp_erased_messages WHERE message_hash IN (
    SELECT message_hash FROM whatsapp_erased_messages WHERE erased_at < $1
    ORDER BY erased_at LIMIT $2 FOR UPDATE SKIP LOCKED)
