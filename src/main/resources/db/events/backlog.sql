-- Each subscription's backlog for the metrics: pending deliveries and the age of the oldest in ms (0 when none).
-- No parameters. Read-only; reads the pending deliveries' partial index.
SELECT s.id, count(d.id) AS pending,
       COALESCE((extract(epoch FROM now() - min(d.created_at)) * 1000)::bigint, 0) AS oldest_ms
FROM gateway_subscriptions s
LEFT JOIN gateway_event_deliveries d ON d.subscription_id = s.id AND d.state = 'pending'
GROUP BY s.id
