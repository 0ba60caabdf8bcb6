-- Drops the chunks under key $1 (a staging key: a failed, duplicate or abandoned download).
DELETE FROM gateway_media_chunks WHERE file_key = $1
