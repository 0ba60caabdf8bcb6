-- Sets a business number's message retention (creates or replaces its override).
-- Parameters: $1 phone_number_id, $2 retention in seconds (positive). One upsert on the primary key: concurrent
-- PUTs of one number serialize on its row and the last one wins.
INSERT INTO gateway_retention_overrides (phone_number_id, messages, updated_at)
VALUES ($1, make_interval(secs => $2::bigint), now())
ON CONFLICT (phone_number_id) DO UPDATE SET messages = excluded.messages, updated_at = excluded.updated_at
RETURNING phone_number_id, extract(epoch FROM messages)::bigint AS messages_seconds, updated_at
