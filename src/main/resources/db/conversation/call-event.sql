-- One call event (webhook field calls: a call's connect or terminate, or a status of a business-initiated call) in
-- the customer's session timeline, as a message of type call; inbound-message.sql's rules, with the direction of the
-- call: INBOUND for a user-initiated call (which, like a message, opens the customer service window: last_inbound_at
-- moves), OUTBOUND for a business-initiated one (the window is left as it is).
-- $6 is the call event's key (call id, event or status): a redelivery writes nothing at all.
-- Parameters: $1 wa_id, $2 display_name (null keeps the stored one), $3 phone_number, $4 phone_number_id,
-- $5 Meta timestamp, $6 key, $7 content, $8 metadata (JSON text), $9 direction, $10 user_id (BSUID), $11
-- parent_user_id, $12 username (null keeps the stored ones).
-- BSUID (V12): as in inbound-message.sql, $1 and $3 are the key gateway_customer_identity resolved for the customer
-- (the phone when known, else the BSUID) in the same transaction, under its lock, when the event names a BSUID.
-- Events: whatsapp.customer.updated when the customer is new or their name changed, then the message's
-- whatsapp.message.received (INBOUND) or whatsapp.message.sent (OUTBOUND), appended by this statement.
-- Deleted conversations and erased customers: as in inbound-message.sql, the event is answered as stored before.
WITH known AS (
    SELECT 1 FROM whatsapp_messages WHERE message_id = $6
    UNION ALL
    SELECT 1 FROM whatsapp_deleted_messages WHERE message_id = $6
    UNION ALL
    SELECT 1 WHERE gateway_erased($1, $3, $5)
), before AS (
    SELECT display_name FROM customer_profiles WHERE wa_id = $1
), profile AS (
    INSERT INTO customer_profiles AS cp (wa_id, display_name, updated_at, user_id, parent_user_id, username)
    SELECT $1, $2, now(), $10, $11, $12 WHERE NOT EXISTS (SELECT 1 FROM known)
    ON CONFLICT (wa_id) DO UPDATE
        SET display_name = COALESCE(EXCLUDED.display_name, cp.display_name), updated_at = now(),
            user_id = COALESCE(EXCLUDED.user_id, cp.user_id),
            parent_user_id = COALESCE(EXCLUDED.parent_user_id, cp.parent_user_id),
            username = COALESCE(EXCLUDED.username, cp.username)
        WHERE cp.conversation_deleted_at IS NULL OR cp.conversation_deleted_at < $5
    RETURNING cp.id, cp AS row, cp.xmax = 0 AS created
), session AS (
    INSERT INTO whatsapp_sessions AS ws (phone_number, customer_profile_id, phone_number_id, last_message_at,
                                         last_inbound_at, updated_at)
    SELECT $3, profile.id, $4, $5, CASE WHEN $9::text = 'INBOUND' THEN $5 END, now() FROM profile
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
    SELECT session.id, $6, $9::text::whatsapp_message_direction, $7, 'call', $8::text::jsonb, $5, $4 FROM session
    ON CONFLICT (message_id) DO NOTHING
    RETURNING *
), events AS (
    INSERT INTO gateway_events (type, phone_number_id, subject, data)
    SELECT e.type, $4, e.subject, e.data
    FROM (SELECT 1 AS ord, 'whatsapp.customer.updated' AS type, m.session_id AS subject,
                 gateway_event_customer(p.row, m.session_id, $3, $4) AS data
          FROM message m, profile p
          WHERE p.created OR (p.row).display_name IS DISTINCT FROM (SELECT display_name FROM before)
          UNION ALL
          SELECT 2, CASE WHEN $9::text = 'INBOUND' THEN 'whatsapp.message.received' ELSE 'whatsapp.message.sent' END,
                 m.session_id, gateway_event_message(m, $3) FROM message m) e
    ORDER BY e.ord
)
SELECT id FROM message
