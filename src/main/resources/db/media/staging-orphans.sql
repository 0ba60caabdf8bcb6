-- Deletes staging chunks whose writer is gone: a download's (key 'tmp:<message id>:<lease token>') that no longer
-- holds its lease (its message was deleted, or it was finished or taken over), and an upload's (key
-- 'up:<epoch seconds>:<uuid>') started more than a day ago. At most $1 chunks per statement.
DELETE FROM gateway_media_chunks c
WHERE c.ctid IN (
    SELECT c2.ctid FROM gateway_media_chunks c2
    WHERE (c2.file_key LIKE 'tmp:%'
           AND NOT EXISTS (SELECT 1 FROM gateway_media g
                           WHERE g.lease_token IS NOT NULL
                             AND c2.file_key = 'tmp:' || g.message_id || ':' || g.lease_token))
       OR (c2.file_key LIKE 'up:%'
           AND split_part(c2.file_key, ':', 2)::bigint < extract(epoch FROM now())::bigint - 86400)
    LIMIT $1)
