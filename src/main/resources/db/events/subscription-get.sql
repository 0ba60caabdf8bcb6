-- One subscription, locked when the caller is in a transaction that will update it. Parameters: $1 id.
SELECT id, url, event_types, phone_number_ids, secret, is_active, created_at, updated_at
FROM gateway_subscriptions WHERE id = $1 FOR UPDATE
