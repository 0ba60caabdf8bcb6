-- Claims up to $2 due download jobs for this replica: pending, due (a new job, a retry whose time has come, or a
-- job whose lease expired because its replica stopped), for $1 seconds (the lease; renew.sql extends it). The
-- claim counts as an attempt. FOR UPDATE SKIP LOCKED: replicas claiming at once never take the same job.
WITH due AS (
    SELECT message_id FROM gateway_media
    WHERE status = 'pending' AND due_at <= now()
    ORDER BY due_at
    LIMIT $2
    FOR UPDATE SKIP LOCKED
)
UPDATE gateway_media g
SET lease_token = gen_random_uuid(), lease_until = now() + make_interval(secs => $1),
    due_at = now() + make_interval(secs => $1), attempts = g.attempts + 1, updated_at = now()
FROM due
WHERE g.message_id = due.message_id
RETURNING g.message_id, g.media_id, g.phone_number_id, g.media_type, g.mime_type, g.filename, g.expected_sha256,
          g.attempts, g.created_at, g.lease_token
