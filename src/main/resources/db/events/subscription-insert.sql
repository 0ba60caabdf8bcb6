-- A new subscription. Parameters: $1 id, $2 url, $3 event types (NULL: all), $4 phone number ids (NULL: all),
-- $5 encrypted secret, $6 active. A fresh random id: no conflict possible. It receives the events numbered
-- from now on (start_event_id, the last id handed out); the notification lets the dispatchers take its cursor
-- at once (on commit).
WITH created AS (
    INSERT INTO gateway_subscriptions (id, url, event_types, phone_number_ids, secret, is_active, start_event_id)
    VALUES ($1, $2, $3, $4, $5, $6, (SELECT last_id FROM gateway_event_sequencer))
    RETURNING id, url, event_types, phone_number_ids, is_active, created_at, updated_at
)
SELECT c.*, pg_notify('gateway_events', 'subscriptions') AS notified FROM created c
