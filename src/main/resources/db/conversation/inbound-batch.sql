-- Several lone inbound messages from concurrent deliveries, as one atomic statement (group commit): the
-- same effect as inbound-message.sql once per message, in one round trip and one commit. Only used for two
-- or more messages; one message alone runs inbound-message.sql (the statement the benchmark's pgbench runs).
-- Parameters are parallel arrays, one element per message, sorted by phone number then wamid so that
-- concurrent statements lock rows in the same order: $1 wa_id[], $2 display_name[] (null keeps the stored
-- one), $3 phone_number[], $4 phone_number_id[], $5 Meta timestamp[], $6 wamid[], $7 content[],
-- $8 message_type[], $9 metadata[] (JSON text), $10 user_id[], $11 parent_user_id[], $12 username[],
-- $13 country_code[] (BSUID, V12: the keys are resolved first, as in inbound-message.sql). Returns the wamids
-- stored now; the others were known.
-- A sender or a phone number that appears twice is upserted once (INSERT ... ON CONFLICT DO UPDATE may not
-- touch a row twice in one statement): the newest non-null display name, the latest timestamps.
-- Events: as inbound-message.sql, for each stored message in input order (a customer's whatsapp.customer.updated
-- before their first message of the batch).
-- Deleted conversations (tombstones, V5) as in inbound-message.sql, whose header says why this is safe against a
-- racing deletion: tombstoned wamids are not fresh; a customer's profile is upserted (and locked) only when one
-- of their messages is newer than conversation_deleted_at, and only such messages are admitted.
-- Erased customers (V8) and media download jobs (V18) as in inbound-message.sql.
WITH input AS (
    SELECT *
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[],
                $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[]) WITH ORDINALITY
         AS i (wa_id, display_name, phone_number, phone_number_id, ts, wamid, content, message_type, metadata,
               user_id, parent_user_id, username, country_code, ord)
), fresh AS (
    SELECT * FROM input i
    WHERE NOT EXISTS (SELECT 1 FROM whatsapp_messages m WHERE m.message_id = i.wamid)
      AND NOT EXISTS (SELECT 1 FROM whatsapp_deleted_messages d WHERE d.message_id = i.wamid)
      AND NOT gateway_erased(i.wa_id, i.phone_number, i.ts)
), before AS (
    SELECT wa_id, display_name FROM customer_profiles WHERE wa_id IN (SELECT wa_id FROM fresh)
), profile AS (
    INSERT INTO customer_profiles AS cp (wa_id, display_name, updated_at, user_id, parent_user_id, username,
                                         country_code)
    SELECT DISTINCT ON (wa_id) wa_id, display_name, now(),
           (array_agg(user_id) FILTER (WHERE user_id IS NOT NULL) OVER w)[1],
           (array_agg(parent_user_id) FILTER (WHERE parent_user_id IS NOT NULL) OVER w)[1],
           (array_agg(username) FILTER (WHERE username IS NOT NULL) OVER w)[1],
           (array_agg(country_code) FILTER (WHERE country_code IS NOT NULL) OVER w)[1]
    FROM fresh
    WINDOW w AS (PARTITION BY wa_id ORDER BY ord DESC ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
    ORDER BY wa_id, display_name IS NULL, ord DESC
    ON CONFLICT (wa_id) DO UPDATE
        SET display_name = COALESCE(EXCLUDED.display_name, cp.display_name), updated_at = now(),
            user_id = COALESCE(EXCLUDED.user_id, cp.user_id),
            parent_user_id = COALESCE(EXCLUDED.parent_user_id, cp.parent_user_id),
            username = COALESCE(EXCLUDED.username, cp.username),
            country_code = COALESCE(EXCLUDED.country_code, cp.country_code)
        WHERE cp.conversation_deleted_at IS NULL
           OR cp.conversation_deleted_at < (SELECT max(f.ts) FROM fresh f WHERE f.wa_id = EXCLUDED.wa_id)
    RETURNING cp.id, cp.wa_id, cp.conversation_deleted_at, cp AS row,
              cp.xmax = 0 OR cp.display_name IS DISTINCT FROM
                  (SELECT b.display_name FROM before b WHERE b.wa_id = cp.wa_id) AS changed
), admitted AS (
    SELECT f.*, p.id AS profile_id FROM fresh f JOIN profile p ON p.wa_id = f.wa_id
    WHERE p.conversation_deleted_at IS NULL OR p.conversation_deleted_at < f.ts
), session AS (
    INSERT INTO whatsapp_sessions AS ws (phone_number, customer_profile_id, phone_number_id, last_message_at,
                                         last_inbound_at, updated_at)
    SELECT DISTINCT ON (f.phone_number) f.phone_number, f.profile_id, f.phone_number_id, max(f.ts) OVER phone,
           max(f.ts) OVER phone, now()
    FROM admitted f
    WINDOW phone AS (PARTITION BY f.phone_number)
    ORDER BY f.phone_number, f.ord DESC
    ON CONFLICT (phone_number) DO UPDATE
        SET customer_profile_id = EXCLUDED.customer_profile_id,
            phone_number_id     = EXCLUDED.phone_number_id,
            last_message_at     = GREATEST(ws.last_message_at, EXCLUDED.last_message_at),
            last_inbound_at     = GREATEST(ws.last_inbound_at, EXCLUDED.last_inbound_at),
            updated_at          = now()
    RETURNING id, phone_number
), message AS (
    INSERT INTO whatsapp_messages (session_id, message_id, direction, content, message_type, metadata,
                                   wa_timestamp, phone_number_id)
    SELECT s.id, f.wamid, 'INBOUND', f.content, f.message_type, f.metadata::jsonb, f.ts, f.phone_number_id
    FROM admitted f JOIN session s ON s.phone_number = f.phone_number
    ORDER BY f.ord
    ON CONFLICT (message_id) DO NOTHING
    RETURNING *
), media AS (
    INSERT INTO gateway_media (message_id, media_id, phone_number_id, media_type, mime_type, filename,
                               expected_sha256)
    SELECT m.id, b ->> 'id', m.phone_number_id, m.message_type, b ->> 'mime_type', b ->> 'filename', b ->> 'sha256'
    FROM message m, LATERAL (SELECT m.metadata -> 'message' -> m.message_type AS b) body
    WHERE m.message_type IN ('image', 'video', 'audio', 'document', 'sticker') AND b ->> 'id' IS NOT NULL
), stored AS (
    SELECT m.session_id, m.phone_number_id, gateway_event_message(m, f.phone_number) AS data, f.ord,
           f.phone_number, f.profile_id,
           row_number() OVER (PARTITION BY f.profile_id ORDER BY f.ord) = 1 AS first_of_customer
    FROM message m JOIN admitted f ON f.wamid = m.message_id
), events AS (
    INSERT INTO gateway_events (type, phone_number_id, subject, data)
    SELECT e.type, e.phone_number_id, e.subject, e.data
    FROM (SELECT st.ord, 1 AS kind, 'whatsapp.customer.updated' AS type, st.phone_number_id, st.session_id AS subject,
                 gateway_event_customer(p.row, st.session_id, st.phone_number, st.phone_number_id) AS data
          FROM stored st JOIN profile p ON p.id = st.profile_id
          WHERE st.first_of_customer AND p.changed
          UNION ALL
          SELECT st.ord, 2, 'whatsapp.message.received', st.phone_number_id, st.session_id, st.data
          FROM stored st) e
    ORDER BY e.ord, e.kind
)
SELECT message_id FROM message
