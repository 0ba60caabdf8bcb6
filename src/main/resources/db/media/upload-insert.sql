-- A file uploaded to Meta through POST /api/v1/media: Meta's media id $1, the business number $2, the file's hex
-- SHA-256 $3, MIME type $4, filename $5, size $6. Meta's ids are unique; a repeated id keeps the first row.
INSERT INTO gateway_media_uploads (media_id, phone_number_id, sha256, mime_type, filename, file_size)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (media_id) DO NOTHING
