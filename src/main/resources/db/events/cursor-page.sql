-- The next events of a subscription after its cursor: up to $3 numbered events after $2 (or after the
-- subscription's start, if later) are scanned in id order, and those matching its types and numbers returned, each
-- with held = its session has a pending delivery row for this subscription (an earlier event of the session waits
-- for a retry or a release; this one must queue behind it). Every row also carries the subscription's current url,
-- secret and state, scanned_to, the last id scanned (NULL: nothing new), and scanned, how many were scanned (fewer
-- than $3: the log held no more when this read). No row: the subscription is gone.
-- Parameters: $1 subscription id, $2 after this event id, $3 most events scanned.
-- Read-only. Numbered events commit in id order (sequence.sql), so reading on after scanned_to misses nothing.
WITH sub AS (
    SELECT id, url, secret, is_active, event_types, phone_number_ids, start_event_id
    FROM gateway_subscriptions WHERE id = $1
), scanned AS (
    SELECT e.id, e.type, e.phone_number_id, e.subject, e.occurred_at, e.data
    FROM gateway_events e
    WHERE e.id > GREATEST($2::bigint, (SELECT start_event_id FROM sub))
    ORDER BY e.id
    LIMIT $3
)
SELECT s.url, s.secret, s.is_active, (SELECT max(id) FROM scanned) AS scanned_to,
       (SELECT count(*) FROM scanned) AS scanned,
       m.id AS event_id, m.type, m.phone_number_id, m.subject, m.occurred_at, m.data::text AS data,
       m.subject IS NOT NULL AND EXISTS (SELECT 1 FROM gateway_event_deliveries d
                                         WHERE d.subscription_id = s.id AND d.subject = m.subject
                                           AND d.state = 'pending') AS held
FROM sub s
LEFT JOIN scanned m ON (s.event_types IS NULL OR m.type = ANY (s.event_types))
    AND (s.phone_number_ids IS NULL OR m.phone_number_id = ANY (s.phone_number_ids))
ORDER BY m.id
