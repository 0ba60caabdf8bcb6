-- Keeps one webhook change the gateway stores nowhere else, raw, unless its dedupe key (the hash of the change as
-- Meta sent it) is kept already: a redelivery stores nothing twice. Its own statement, before the delivery's answer.
-- Parameters: $1 field, $2 entry id, $3 entry time, $4 reason (unhandled / unrouted), $5 payload (JSON text),
-- $6 dedupe key. Returns the row's id when it is new.
INSERT INTO whatsapp_webhook_events (field, entry_id, entry_time, reason, payload, dedupe_key)
VALUES ($1, $2, $3, $4, $5::text::jsonb, $6)
ON CONFLICT (dedupe_key) DO NOTHING
RETURNING id
