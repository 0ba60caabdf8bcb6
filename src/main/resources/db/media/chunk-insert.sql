-- One chunk of a file being written ($1 key: the staging key during a download, $2 sequence number, $3 bytes).
INSERT INTO gateway_media_chunks (file_key, seq, data) VALUES ($1, $2, $3)
ON CONFLICT (file_key, seq) DO UPDATE SET data = EXCLUDED.data
