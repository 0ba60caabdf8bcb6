-- Extends the lease of a running download ($1 message id, $2 lease token, $3 seconds). No row: the lease was lost
-- (expired and claimed by another replica, or the message was deleted), and the download stops.
UPDATE gateway_media
SET lease_until = now() + make_interval(secs => $3), due_at = now() + make_interval(secs => $3)
WHERE message_id = $1 AND lease_token = $2 AND status = 'pending'
RETURNING message_id
