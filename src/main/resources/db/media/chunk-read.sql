-- One chunk of a stored file ($1 hex SHA-256, $2 sequence number).
SELECT data FROM gateway_media_chunks WHERE file_key = $1 AND seq = $2
