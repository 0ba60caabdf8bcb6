-- One inbound message, as a single atomic statement (one round trip, its own transaction when alone):
-- upsert the customer profile by wa_id, upsert the session by phone number (last_message_at and
-- last_inbound_at only move forward), insert the message unless its wamid is stored already.
-- A wamid seen before writes nothing at all; concurrent first deliveries meet at the unique keys.
-- Parameters: $1 wa_id, $2 display_name (null keeps the stored one), $3 phone_number, $4 phone_number_id,
-- $5 Meta timestamp, $6 wamid, $7 content, $8 message_type, $9 metadata (JSON text), $10 user_id (BSUID),
-- $11 parent_user_id, $12 username, $13 country_code (null keeps the stored ones).
-- BSUID (V12): $1 and $3 are the key gateway_customer_identity resolved for the sender (the phone when known,
-- else the BSUID), in the same transaction, under its lock; a message without BSUID keys on the phone as before.
-- The benchmark's pgbench script is generated from this file.
-- Events (V6, V7): the stored message's whatsapp.message.received, preceded by whatsapp.customer.updated when the
-- customer is new or their display name changed (as this statement's snapshot saw it: two concurrent first
-- messages of one customer may both report the change). Appended by this statement, so they commit with it; a
-- known wamid appends nothing. The session row is locked (its upsert) when they are inserted, which orders a
-- session's events (docs/events.md).
-- Deleted conversations (tombstones, V5): a wamid of a deleted message, or a message whose Meta timestamp is at
-- or before its customer's conversation_deleted_at, writes nothing either and is answered as a duplicate.
-- Safe against a deletion racing this statement (ConversationWrites.deleteSession, session-delete-*.sql): the deletion locks
-- the customer's profile row, then the session row, writes the tombstones and deletes, all in one transaction;
-- this statement locks the profile row (its upsert) before the session row, the same order. A known wamid:
-- every snapshot sees either its message row or its tombstone, both change in the deleting commit. A message
-- not stored yet meets the deletion at the profile row: ON CONFLICT DO UPDATE waits for the deleting
-- transaction and evaluates its WHERE on the latest row version, so a deletion that committed after this
-- statement's snapshot is still seen, and nothing is written.
-- Erased customers (V8): a message from a number whose erasure tombstone (the hash of the wa_id or of the phone
-- number) is at or after its Meta timestamp writes nothing and is answered as a duplicate. gateway_erased (V14)
-- orders this statement with an erasure of the wa_id: it waits for one in progress and reads the tombstones after
-- it, and an erasure that starts later waits for this transaction (and erases what it stored).
-- Media (V18): a stored image, video, audio, document or sticker message records its download job (gateway_media,
-- pending) in this statement, so the job commits with the message; other types insert nothing there.
WITH known AS (
    SELECT 1 FROM whatsapp_messages WHERE message_id = $6
    UNION ALL
    SELECT 1 FROM whatsapp_deleted_messages WHERE message_id = $6
    UNION ALL
    SELECT 1 WHERE gateway_erased($1, $3, $5)
), before AS (
    SELECT display_name FROM customer_profiles WHERE wa_id = $1
), profile AS (
    INSERT INTO customer_profiles AS cp (wa_id, display_name, updated_at, user_id, parent_user_id, username,
                                         country_code)
    SELECT $1, $2, now(), $10, $11, $12, $13 WHERE NOT EXISTS (SELECT 1 FROM known)
    ON CONFLICT (wa_id) DO UPDATE
        SET display_name = COALESCE(EXCLUDED.display_name, cp.display_name), updated_at = now(),
            user_id = COALESCE(EXCLUDED.user_id, cp.user_id),
            parent_user_id = COALESCE(EXCLUDED.parent_user_id, cp.parent_user_id),
            username = COALESCE(EXCLUDED.username, cp.username),
            country_code = COALESCE(EXCLUDED.country_code, cp.country_code)
        WHERE cp.conversation_deleted_at IS NULL OR cp.conversation_deleted_at < $5
    RETURNING cp.id, cp AS row, cp.xmax = 0 AS created
), session AS (
    INSERT INTO whatsapp_sessions AS ws (phone_number, customer_profile_id, phone_number_id, last_message_at,
                                         last_inbound_at, updated_at)
    SELECT $3, profile.id, $4, $5, $5, now() FROM profile
    ON CONFLICT (phone_number) DO UPDATE
        SET customer_profile_id = EXCLUDED.customer_profile_id,
            phone_number_id     = EXCLUDED.phone_number_id,
            last_message_at     = GREATEST(ws.last_message_at, EXCLUDED.last_message_at),
            last_inbound_at     = GREATEST(ws.last_inbound_at, EXCLUDED.last_inbound_at),
            updated_at          = now()
    RETURNING id
), message AS (
    INSERT INTO whatsapp_messages (session_id, message_id, direction, content, message_type, metadata,
                                   wa_timestamp, phone_number_id)
    SELECT session.id, $6, 'INBOUND', $7, $8, $9::text::jsonb, $5, $4 FROM session
    ON CONFLICT (message_id) DO NOTHING
    RETURNING *
), media AS (
    INSERT INTO gateway_media (message_id, media_id, phone_number_id, media_type, mime_type, filename,
                               expected_sha256)
    SELECT m.id, b ->> 'id', m.phone_number_id, m.message_type, b ->> 'mime_type', b ->> 'filename', b ->> 'sha256'
    FROM message m, LATERAL (SELECT m.metadata -> 'message' -> m.message_type AS b) body
    WHERE m.message_type IN ('image', 'video', 'audio', 'document', 'sticker') AND b ->> 'id' IS NOT NULL
), events AS (
    INSERT INTO gateway_events (type, phone_number_id, subject, data)
    SELECT e.type, $4, e.subject, e.data
    FROM (SELECT 1 AS ord, 'whatsapp.customer.updated' AS type, m.session_id AS subject,
                 gateway_event_customer(p.row, m.session_id, $3, $4) AS data
          FROM message m, profile p
          WHERE p.created OR (p.row).display_name IS DISTINCT FROM (SELECT display_name FROM before)
          UNION ALL
          SELECT 2, 'whatsapp.message.received', m.session_id, gateway_event_message(m, $3) FROM message m) e
    ORDER BY e.ord
)
SELECT id FROM message
