-- Undoes V10__delivery_heads.sql: waiting deliveries become due again (the claim of V6 orders them by session).
DROP INDEX IF EXISTS gateway_delivery_attempts_subscription;
ALTER TABLE gateway_delivery_attempts DROP COLUMN IF EXISTS subscription_id;
DROP INDEX IF EXISTS gateway_event_deliveries_unreleased;
UPDATE gateway_event_deliveries SET next_attempt_at = now() WHERE next_attempt_at IS NULL;
ALTER TABLE gateway_event_deliveries
    DROP COLUMN IF EXISTS released,
    DROP COLUMN IF EXISTS has_successor,
    ALTER COLUMN next_attempt_at SET NOT NULL;
