-- Drops the staging chunks of earlier attempts of message $1's download (key 'tmp:<message id>:<lease token>'),
-- left by a replica that stopped mid-download; the current attempt's key $2 is kept.
DELETE FROM gateway_media_chunks WHERE file_key LIKE 'tmp:' || $1 || ':%' AND file_key <> $2
