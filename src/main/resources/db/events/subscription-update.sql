-- Replaces a subscription's fields (the service merged the PATCH into the row it locked).
-- Parameters: $1 id, $2 url, $3 event types, $4 phone number ids, $5 encrypted secret, $6 active.
UPDATE gateway_subscriptions
SET url = $2, event_types = $3, phone_number_ids = $4, secret = $5, is_active = $6, updated_at = now()
WHERE id = $1
RETURNING id, url, event_types, phone_number_ids, is_active, created_at, updated_at
