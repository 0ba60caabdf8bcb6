-- Dispatch by cursor. A subscription's events are read from the log in id order by the one replica that holds its
-- cursor (a lease), sent, and the cursor moves past them; a delivery row (gateway_event_deliveries) is written
-- only for an event whose first attempt failed, for the events of its session behind it, and for replays. So an
-- event answered 2xx at once costs one attempt-log row and a share of one cursor update, not a row updated several
-- times (decision 0016).

-- The first event a subscription may receive is the one after start_event_id: the last id handed out when it was
-- created or last reactivated (written by the subscription's own statements).
ALTER TABLE gateway_subscriptions ADD COLUMN start_event_id bigint NOT NULL DEFAULT 0;
UPDATE gateway_subscriptions SET start_event_id = (SELECT last_id FROM gateway_event_sequencer);

-- Each subscription's read position and who reads it. cursor_event_id: every event up to it was delivered or
-- handed over to a delivery row. dispatcher / dispatcher_until: the replica holding the cursor and the end of its
-- lease; another replica takes the cursor once the lease ended (the holder died).
CREATE TABLE gateway_subscription_cursors (
    subscription_id  uuid        PRIMARY KEY REFERENCES gateway_subscriptions (id) ON DELETE CASCADE,
    cursor_event_id  bigint      NOT NULL,
    dispatcher       uuid,
    dispatcher_until timestamptz
);

-- An attempt made from the cursor and answered 2xx has no delivery row: the attempt log names its event itself.
ALTER TABLE gateway_delivery_attempts
    ALTER COLUMN delivery_id DROP NOT NULL,
    ADD COLUMN event_id bigint REFERENCES gateway_events (id) ON DELETE CASCADE;
UPDATE gateway_delivery_attempts a SET event_id = d.event_id FROM gateway_event_deliveries d WHERE d.id = a.delivery_id;
ALTER TABLE gateway_delivery_attempts ALTER COLUMN event_id SET NOT NULL;
-- the retention's cascade from gateway_events and the attempt log's event filter
CREATE INDEX gateway_delivery_attempts_event ON gateway_delivery_attempts (event_id);
-- the cascade from a delivery row needs only the attempts that have one: most have none
DROP INDEX gateway_delivery_attempts_delivery;
CREATE INDEX gateway_delivery_attempts_delivery ON gateway_delivery_attempts (delivery_id, attempt)
    WHERE delivery_id IS NOT NULL;
