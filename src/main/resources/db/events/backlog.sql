-- Each subscription's backlog for the metrics: events not yet delivered or failed (pending delivery rows, plus for
-- an active subscription the matching events after its cursor) and the age of the oldest in ms (0 when none).
-- No parameters. Read-only: the pending rows' partial index and a range of the event ids (none for an inactive
-- subscription, whose cursor stays where it was).
SELECT s.id,
       p.pending + COALESCE(a.pending, 0) AS pending,
       COALESCE((extract(epoch FROM now() - LEAST(p.oldest, a.oldest)) * 1000)::bigint, 0) AS oldest_ms
FROM gateway_subscriptions s
LEFT JOIN gateway_subscription_cursors c ON c.subscription_id = s.id
CROSS JOIN LATERAL (
    SELECT count(*) AS pending, min(d.created_at) AS oldest
    FROM gateway_event_deliveries d WHERE d.subscription_id = s.id AND d.state = 'pending') p
LEFT JOIN LATERAL (
    SELECT count(*) AS pending, min(e.occurred_at) AS oldest
    FROM gateway_events e
    WHERE s.is_active AND e.id > GREATEST(COALESCE(c.cursor_event_id, 0), s.start_event_id)
      AND (s.event_types IS NULL OR e.type = ANY (s.event_types))
      AND (s.phone_number_ids IS NULL OR e.phone_number_id = ANY (s.phone_number_ids))) a ON true
