-- Per-session delivery queues without a scan of the backlog. Only the head of a session's queue (per subscription)
-- is due: it has a next_attempt_at; the deliveries behind it wait with none (NULL) until the head is delivered or
-- failed. has_successor marks a head with deliveries waiting behind it; such a head finishes unreleased
-- (released = false) and the sequencer then releases the next one. A claim reads due heads from the
-- next_attempt_at index only, however long the queues behind them are.
ALTER TABLE gateway_event_deliveries
    ALTER COLUMN next_attempt_at DROP NOT NULL,
    ADD COLUMN released boolean NOT NULL DEFAULT true,
    ADD COLUMN has_successor boolean NOT NULL DEFAULT false;

-- Pending deliveries behind an earlier pending one of the same session wait for it.
UPDATE gateway_event_deliveries d SET next_attempt_at = NULL
WHERE d.state = 'pending' AND d.subject IS NOT NULL
  AND EXISTS (SELECT 1 FROM gateway_event_deliveries p
              WHERE p.subscription_id = d.subscription_id AND p.subject = d.subject
                AND p.state = 'pending' AND p.event_id < d.event_id);

UPDATE gateway_event_deliveries d SET has_successor = true
WHERE d.state = 'pending' AND d.next_attempt_at IS NOT NULL AND d.subject IS NOT NULL
  AND EXISTS (SELECT 1 FROM gateway_event_deliveries w
              WHERE w.subscription_id = d.subscription_id AND w.subject = d.subject
                AND w.state = 'pending' AND w.next_attempt_at IS NULL);

CREATE INDEX gateway_event_deliveries_unreleased ON gateway_event_deliveries (id) WHERE NOT released;

-- The attempt log read per subscription, newest first (GET /api/v1/subscriptions/{id}/deliveries).
ALTER TABLE gateway_delivery_attempts ADD COLUMN subscription_id uuid;
UPDATE gateway_delivery_attempts a SET subscription_id = d.subscription_id
FROM gateway_event_deliveries d WHERE d.id = a.delivery_id;
ALTER TABLE gateway_delivery_attempts ALTER COLUMN subscription_id SET NOT NULL;
CREATE INDEX gateway_delivery_attempts_subscription ON gateway_delivery_attempts (subscription_id, id DESC);
