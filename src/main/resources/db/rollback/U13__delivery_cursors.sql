-- Undoes V13__delivery_cursors.sql. Events after a subscription's cursor get delivery rows first, so that the
-- version before V13 (which sends delivery rows only) still sends them: queued behind the earlier pending
-- deliveries of their session as V10 queues them. Attempts made from the cursor (no delivery row) then leave the
-- attempt log, which before V13 is keyed by delivery.
INSERT INTO gateway_event_deliveries (subscription_id, event_id, subject, next_attempt_at)
SELECT c.subscription_id, e.id, e.subject, now()
FROM gateway_subscription_cursors c
JOIN gateway_subscriptions s ON s.id = c.subscription_id AND s.is_active
JOIN gateway_events e ON e.id > GREATEST(c.cursor_event_id, s.start_event_id)
WHERE (s.event_types IS NULL OR e.type = ANY (s.event_types))
  AND (s.phone_number_ids IS NULL OR e.phone_number_id = ANY (s.phone_number_ids))
ON CONFLICT (subscription_id, event_id) DO NOTHING;
UPDATE gateway_event_deliveries d SET next_attempt_at = NULL
WHERE d.state = 'pending' AND d.subject IS NOT NULL AND d.next_attempt_at IS NOT NULL
  AND EXISTS (SELECT 1 FROM gateway_event_deliveries p
              WHERE p.subscription_id = d.subscription_id AND p.subject = d.subject
                AND p.state = 'pending' AND p.event_id < d.event_id);
UPDATE gateway_event_deliveries d SET has_successor = true
WHERE d.state = 'pending' AND d.next_attempt_at IS NOT NULL AND d.subject IS NOT NULL
  AND EXISTS (SELECT 1 FROM gateway_event_deliveries w
              WHERE w.subscription_id = d.subscription_id AND w.subject = d.subject
                AND w.state = 'pending' AND w.next_attempt_at IS NULL);

DROP INDEX IF EXISTS gateway_delivery_attempts_event;
DELETE FROM gateway_delivery_attempts WHERE delivery_id IS NULL;
DROP INDEX IF EXISTS gateway_delivery_attempts_delivery;
CREATE INDEX gateway_delivery_attempts_delivery ON gateway_delivery_attempts (delivery_id, attempt);
ALTER TABLE gateway_delivery_attempts
    DROP COLUMN IF EXISTS event_id,
    ALTER COLUMN delivery_id SET NOT NULL;
DROP TABLE IF EXISTS gateway_subscription_cursors;
ALTER TABLE gateway_subscriptions DROP COLUMN IF EXISTS start_event_id;
