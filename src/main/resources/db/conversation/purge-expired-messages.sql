-- Drops messages older than their retention: the number's override (gateway_retention_overrides) or else the
-- default, by the message's timestamp (Meta's, else when stored), oldest first, at most $2 per statement, with
-- the pending statuses keyed to their wamids. Sessions stay (they hold state).
-- Parameters: $1 default retention in seconds (NULL: keep forever unless the number has an override), $2 batch
-- size. Returns one row per table with how many rows were dropped. SKIP LOCKED: messages another replica's
-- purge (or a status update) holds are left alone, so concurrent purges neither wait nor drop anything twice.
WITH doomed AS (
    SELECT m.id FROM whatsapp_messages m
    LEFT JOIN gateway_retention_overrides o ON o.phone_number_id = m.phone_number_id
    WHERE COALESCE(m.wa_timestamp, m.created_at)
          < now() - COALESCE(o.messages, make_interval(secs => $1::bigint))
    ORDER BY COALESCE(m.wa_timestamp, m.created_at) LIMIT $2
    FOR UPDATE OF m SKIP LOCKED),
messages AS (
    DELETE FROM whatsapp_messages WHERE id IN (SELECT id FROM doomed) RETURNING message_id),
statuses AS (
    DELETE FROM whatsapp_pending_statuses WHERE message_id IN (SELECT message_id FROM messages) RETURNING 1)
SELECT (SELECT count(*) FROM messages) AS messages, (SELECT count(*) FROM statuses) AS pending_statuses
