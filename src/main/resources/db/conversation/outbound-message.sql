-- A message Meta accepted for sending, stored OUTBOUND: upsert the recipient's session by phone number (it follows
-- the business number that sent; last_message_at and updated_at only move forward), then insert the message.
-- Runs after pg_advisory_xact_lock(hashtext(wamid)), in the transaction that then applies the statuses a webhook
-- kept for this wamid (apply-pending.sql), so a status racing the send is never lost.
-- Parameters: $1 phone_number (digits), $2 phone_number_id, $3 time of storing, $4 wamid, $5 message_type,
-- $6 content, $7 metadata (JSON text), $8 status, $9 its rank.
-- A wamid stored before fails on whatsapp_messages_message_id_key: an earlier attempt committed, the caller reads it.
-- Appends the message's whatsapp.message.sent event (statuses applied next append their own).
-- Returns the message's id and its session's id.
WITH session AS (
    INSERT INTO whatsapp_sessions AS ws (id, phone_number, state, last_message_at, created_at, updated_at,
                                         phone_number_id)
    VALUES (gen_random_uuid(), $1, 'IDLE', $3, $3, $3, $2)
    ON CONFLICT (phone_number) DO UPDATE
       SET phone_number_id = EXCLUDED.phone_number_id,
           last_message_at = GREATEST(ws.last_message_at, EXCLUDED.last_message_at),
           updated_at = GREATEST(ws.updated_at, EXCLUDED.updated_at)
    RETURNING id
), message AS (
    INSERT INTO whatsapp_messages (id, session_id, message_id, direction, message_type, content, metadata, status,
                                   status_rank, status_at, phone_number_id, created_at)
    SELECT gen_random_uuid(), session.id, $4, 'OUTBOUND', $5, $6, $7::text::jsonb, $8, $9, $3, $2, $3
      FROM session
    RETURNING *
), event AS (
    INSERT INTO gateway_events (type, phone_number_id, subject, data)
    SELECT 'whatsapp.message.sent', $2, m.session_id, gateway_event_message(m, $1) FROM message m
)
SELECT id, session_id FROM message
