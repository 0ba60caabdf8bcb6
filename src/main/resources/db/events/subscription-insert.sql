-- A new subscription. Parameters: $1 id, $2 url, $3 event types (NULL: all), $4 phone number ids (NULL: all),
-- $5 encrypted secret, $6 active. A fresh random id: no conflict possible.
INSERT INTO gateway_subscriptions (id, url, event_types, phone_number_ids, secret, is_active)
VALUES ($1, $2, $3, $4, $5, $6)
RETURNING id, url, event_types, phone_number_ids, is_active, created_at, updated_at
