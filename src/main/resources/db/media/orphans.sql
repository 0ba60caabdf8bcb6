-- Deletes up to $1 stored files that no message and no upload references any more (their messages were erased or
-- expired), with their chunks, once older than $2 seconds (a file just stored is referenced only by the job's
-- next statement). Returns each deleted file's hash and store (an S3 object is deleted after). SKIP LOCKED, and
-- the candidate is re-checked under its row lock: a download committing the same file touches created_at first.
WITH doomed AS (
    SELECT f.sha256, f.store FROM gateway_media_files f
    WHERE f.created_at < now() - make_interval(secs => $2)
      AND NOT EXISTS (SELECT 1 FROM gateway_media g WHERE g.sha256 = f.sha256)
      AND NOT EXISTS (SELECT 1 FROM gateway_media_uploads u WHERE u.sha256 = f.sha256)
    LIMIT $1
    FOR UPDATE SKIP LOCKED
), chunks AS (
    DELETE FROM gateway_media_chunks c USING doomed d WHERE c.file_key = d.sha256
)
DELETE FROM gateway_media_files f USING doomed d WHERE f.sha256 = d.sha256
RETURNING f.sha256, f.store
