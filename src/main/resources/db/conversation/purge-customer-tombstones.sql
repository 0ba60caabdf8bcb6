-- Clears customers' conversation tombstones (customer_profiles.conversation_deleted_at, V5) older than the
-- cutoff, oldest first, at most $2 per statement; the profile rows stay.
-- Parameters: $1 cutoff (deleted before it), $2 batch size. SKIP LOCKED: a profile row another transaction
-- holds (an ingest upsert, a deletion, another replica's purge) is left for the next run; the UPDATE only
-- ever clears, so no order of purges and writes loses anything.
UPDATE customer_profiles SET conversation_deleted_at = NULL WHERE id IN (
    SELECT id FROM customer_profiles WHERE conversation_deleted_at < $1
    ORDER BY conversation_deleted_at LIMIT $2 FOR UPDATE SKIP LOCKED)
