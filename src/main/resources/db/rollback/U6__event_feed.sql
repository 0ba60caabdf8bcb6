-- Undoes V6__event_feed.sql: the event feed's tables, dependents first (their indexes go with them).
DROP TABLE IF EXISTS gateway_delivery_attempts;
DROP TABLE IF EXISTS gateway_event_deliveries;
DROP TABLE IF EXISTS gateway_subscriptions;
DROP TABLE IF EXISTS gateway_event_sequencer;
DROP TABLE IF EXISTS gateway_events;
