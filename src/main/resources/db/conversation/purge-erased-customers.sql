-- Drops erased customers' tombstones (V8) older than the cutoff, oldest first, at most $2 per statement. Once
-- purged, a redelivery of their messages is older than gateway.whatsapp.stale-after and refused as stale.
-- Parameters: $1 cutoff (erased before it), $2 batch size. SKIP LOCKED: rows another replica's purge (or an
-- erasure) holds are left to it, so concurrent purges neither wait nor drop anything twice.
DELETE FROM whatsapp_erased_customers WHERE wa_id_hash IN (
    SELECT wa_id_hash FROM whatsapp_erased_customers WHERE erased_at < $1
    ORDER BY erased_at LIMIT $2 FOR UPDATE SKIP LOCKED)
