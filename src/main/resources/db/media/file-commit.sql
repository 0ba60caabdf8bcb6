-- Records a stored file ($1 hex SHA-256, $2 size, $3 store, $4 chunk size with the database store). A file already
-- recorded is touched (created_at), so that the orphan sweep, which only takes files older than its grace period
-- and re-checks them under its row lock, does not delete it now. inserted: whether this call recorded it.
INSERT INTO gateway_media_files AS f (sha256, size, store, chunk_bytes)
VALUES ($1, $2, $3, $4)
ON CONFLICT (sha256) DO UPDATE SET created_at = now()
RETURNING (f.xmax = 0) AS inserted
