-- Replaces a subscription's fields (the service merged the PATCH into the row it locked).
-- Parameters: $1 id, $2 url, $3 event types, $4 phone number ids, $5 encrypted secret, $6 active.
-- Reactivated, it receives the events numbered from now on, not those of the time it was inactive; the
-- notification lets the dispatchers take (or drop) its cursor at once (on commit).
WITH updated AS (
    UPDATE gateway_subscriptions
    SET url = $2, event_types = $3, phone_number_ids = $4, secret = $5, is_active = $6,
        start_event_id = CASE WHEN $6 AND NOT is_active THEN (SELECT last_id FROM gateway_event_sequencer)
                              ELSE start_event_id END,
        updated_at = now()
    WHERE id = $1
    RETURNING id, url, event_types, phone_number_ids, is_active, created_at, updated_at
)
SELECT u.*, pg_notify('gateway_events', 'subscriptions') AS notified FROM updated u
