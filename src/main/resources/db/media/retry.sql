-- A failed attempt that will be tried again at $3, with its reason $4 ($1 message id, $2 lease token).
UPDATE gateway_media
SET due_at = $3, lease_token = NULL, lease_until = NULL, error = $4, updated_at = now()
WHERE message_id = $1 AND lease_token = $2 AND status = 'pending'
RETURNING message_id
