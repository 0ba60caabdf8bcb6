-- Drops tombstones of deleted messages (V5) older than the cutoff, oldest first, at most $2 per statement.
-- Once purged, a redelivery of such a message is older than gateway.whatsapp.stale-after and refused as stale.
-- Parameters: $1 cutoff (deleted before it), $2 batch size. SKIP LOCKED: rows another replica's purge holds
-- are left to it, so concurrent purges neither wait nor drop anything twice.
DELETE FROM whatsapp_deleted_messages WHERE message_id IN (
    SELECT message_id FROM whatsapp_deleted_messages WHERE deleted_at < $1
    ORDER BY deleted_at LIMIT $2 FOR UPDATE SKIP LOCKED)
