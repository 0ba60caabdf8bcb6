-- Business-scoped user ids (BSUID, issue 14). A customer keeps the BSUID (user_id), the parent BSUID, the username
-- and the country code next to wa_id. wa_id and the session's phone_number (the seed's unique keys) hold the phone
-- number when it is known, else the BSUID; they take the phone once a delivery carries it.
ALTER TABLE customer_profiles
    ADD COLUMN user_id        text,
    ADD COLUMN parent_user_id text,
    ADD COLUMN username       text,
    ADD COLUMN country_code   text;

CREATE UNIQUE INDEX customer_profiles_user_id_key ON customer_profiles (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX customer_profiles_username_idx ON customer_profiles (username) WHERE username IS NOT NULL;

-- The customer event data (V7) with the BSUID and the username.
CREATE OR REPLACE FUNCTION gateway_event_customer(p customer_profiles, session_id uuid, phone_number text,
                                                  phone_number_id text) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT jsonb_build_object(
    'id', p.id,
    'waId', p.wa_id,
    'userId', p.user_id,
    'username', p.username,
    'displayName', p.display_name,
    'sessionId', session_id,
    'phoneNumber', phone_number,
    'phoneNumberId', phone_number_id)
$$;

-- The session event data (V7) with the customer's BSUID and username, as SessionResponse shows them.
CREATE OR REPLACE FUNCTION gateway_event_session(s whatsapp_sessions) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
SELECT jsonb_build_object(
    'id', s.id,
    'phoneNumber', s.phone_number,
    'state', s.state,
    'contextData', s.context_data,
    'customerProfile', (SELECT jsonb_build_object('id', p.id, 'waId', p.wa_id, 'displayName', p.display_name,
                                                   'userId', p.user_id, 'username', p.username)
                        FROM customer_profiles p WHERE p.id = s.customer_profile_id),
    'lastMessageAt', gateway_json_time(s.last_message_at),
    'windowOpen', s.last_inbound_at IS NOT NULL AND now() < s.last_inbound_at + interval '24 hours',
    'windowExpiresAt', gateway_json_time(s.last_inbound_at + interval '24 hours'),
    'createdAt', gateway_json_time(s.created_at),
    'updatedAt', gateway_json_time(s.updated_at),
    'lastMessage', (SELECT jsonb_build_object('id', m.id, 'messageId', m.message_id, 'direction', m.direction,
                                              'messageType', m.message_type, 'content', m.content,
                                              'status', m.status, 'createdAt', gateway_json_time(m.created_at))
                    FROM whatsapp_messages m WHERE m.session_id = s.id
                    ORDER BY m.created_at DESC, m.id DESC LIMIT 1),
    'sessionId', s.id,
    'phoneNumberId', s.phone_number_id)
$$;

-- Resolves the customer of a delivery that carries a BSUID and returns the key (wa_id = session phone_number) its
-- message is stored under: the customer found by user_id first, else by wa_id (the phone). A delivery with both
-- links them: a customer known only by the phone takes the BSUID; one known only by the BSUID takes the phone
-- (its session too); when both exist as separate customers they are merged into the phone's customer and
-- session (every message moved, the BSUID's customer and session deleted) and whatsapp.customer.updated is
-- appended. Nothing is inserted here: a customer not known yet is created by the inbound statement that follows
-- in the same transaction (with its user_id).
-- Concurrency: a transaction-level advisory lock per BSUID serialises every resolution of one BSUID until commit
-- (the inbound statement that follows included), so two deliveries of one person cannot both create a customer
-- or both merge; the rows are then locked customer (BSUID's, then phone's) before sessions (by phone_number), the
-- order of the inbound statements and of the deletion.
CREATE FUNCTION gateway_customer_identity(p_phone text, p_user_id text, p_parent_user_id text, p_username text,
                                          p_country_code text, p_phone_number_id text) RETURNS text
    LANGUAGE plpgsql AS $$
DECLARE
    by_user customer_profiles;
    by_phone customer_profiles;
    survivor uuid;
    old_session whatsapp_sessions;
    new_session whatsapp_sessions;
    kept_session uuid;
BEGIN
    IF p_user_id IS NULL OR p_user_id = '' THEN
        RETURN p_phone;
    END IF;
    -- first the erasure locks of the phone and the BSUID, shared (V14's key; an erasure takes its customer's one
    -- exclusively before any row lock), so that no row lock taken here can close a cycle with an erasure
    PERFORM pg_advisory_xact_lock_shared(k.key)
    FROM (SELECT DISTINCT (1464336244::bigint << 32) | (hashtext(v)::bigint & 4294967295) AS key
          FROM unnest(ARRAY[NULLIF(p_phone, ''), p_user_id]) v WHERE v IS NOT NULL ORDER BY 1) k;
    PERFORM pg_advisory_xact_lock(hashtext('gateway-customer-identity:' || p_user_id));
    SELECT * INTO by_user FROM customer_profiles WHERE user_id = p_user_id FOR UPDATE;
    IF p_phone IS NULL OR p_phone = '' OR p_phone = p_user_id THEN
        IF by_user.id IS NULL THEN
            RETURN p_user_id;
        END IF;
        UPDATE customer_profiles
           SET parent_user_id = COALESCE(p_parent_user_id, parent_user_id),
               username = COALESCE(p_username, username), country_code = COALESCE(p_country_code, country_code)
         WHERE id = by_user.id
           AND (parent_user_id, username, country_code) IS DISTINCT FROM
               (COALESCE(p_parent_user_id, parent_user_id), COALESCE(p_username, username),
                COALESCE(p_country_code, country_code));
        RETURN by_user.wa_id;
    END IF;
    SELECT * INTO by_phone FROM customer_profiles WHERE wa_id = p_phone FOR UPDATE;
    IF by_user.id IS NULL OR by_user.id = by_phone.id THEN
        -- known by the phone only (or already linked): it takes (or keeps) the BSUID
        UPDATE customer_profiles
           SET user_id = p_user_id, parent_user_id = COALESCE(p_parent_user_id, parent_user_id),
               username = COALESCE(p_username, username), country_code = COALESCE(p_country_code, country_code),
               updated_at = now()
         WHERE id = by_phone.id
           AND (user_id, parent_user_id, username, country_code) IS DISTINCT FROM
               (p_user_id, COALESCE(p_parent_user_id, parent_user_id), COALESCE(p_username, username),
                COALESCE(p_country_code, country_code));
        RETURN p_phone;
    END IF;
    -- The BSUID's customer is stored under another key (the BSUID, while the phone was withheld).
    IF by_phone.id IS NULL THEN
        BEGIN
            UPDATE customer_profiles
               SET wa_id = p_phone, parent_user_id = COALESCE(p_parent_user_id, parent_user_id),
                   username = COALESCE(p_username, username), country_code = COALESCE(p_country_code, country_code),
                   updated_at = now()
             WHERE id = by_user.id;
            survivor := by_user.id;
        EXCEPTION WHEN unique_violation THEN
            -- a delivery without BSUID created the phone's customer meanwhile (it takes no BSUID lock): merge
            SELECT * INTO by_phone FROM customer_profiles WHERE wa_id = p_phone FOR UPDATE;
        END;
    END IF;
    IF by_phone.id IS NOT NULL THEN
        survivor := by_phone.id;
        UPDATE customer_profiles SET user_id = NULL WHERE id = by_user.id;
        UPDATE customer_profiles
           SET user_id = p_user_id,
               parent_user_id = COALESCE(p_parent_user_id, by_user.parent_user_id, parent_user_id),
               username = COALESCE(p_username, by_user.username, username),
               country_code = COALESCE(p_country_code, by_user.country_code, country_code),
               display_name = COALESCE(display_name, by_user.display_name),
               conversation_deleted_at = GREATEST(conversation_deleted_at, by_user.conversation_deleted_at),
               created_at = LEAST(created_at, by_user.created_at),
               updated_at = now()
         WHERE id = by_phone.id;
    END IF;
    -- Sessions, locked in phone_number order: the BSUID's session takes the phone, or is merged into the phone's.
    PERFORM 1 FROM whatsapp_sessions WHERE phone_number IN (by_user.wa_id, p_phone) ORDER BY phone_number FOR UPDATE;
    SELECT * INTO old_session FROM whatsapp_sessions WHERE phone_number = by_user.wa_id;
    SELECT * INTO new_session FROM whatsapp_sessions WHERE phone_number = p_phone;
    IF old_session.id IS NOT NULL AND new_session.id IS NULL THEN
        BEGIN
            UPDATE whatsapp_sessions SET phone_number = p_phone, customer_profile_id = survivor, updated_at = now()
             WHERE id = old_session.id;
            kept_session := old_session.id;
        EXCEPTION WHEN unique_violation THEN
            -- a send or a delivery without BSUID created the phone's session meanwhile: merge into it
            SELECT * INTO new_session FROM whatsapp_sessions WHERE phone_number = p_phone FOR UPDATE;
        END;
    END IF;
    IF kept_session IS NOT NULL THEN
        NULL;
    ELSIF old_session.id IS NOT NULL AND new_session.id IS NOT NULL THEN
        UPDATE whatsapp_messages SET session_id = new_session.id WHERE session_id = old_session.id;
        UPDATE whatsapp_sessions
           SET customer_profile_id = survivor,
               last_message_at = GREATEST(last_message_at, old_session.last_message_at),
               last_inbound_at = GREATEST(last_inbound_at, old_session.last_inbound_at),
               phone_number_id = CASE WHEN old_session.last_message_at > last_message_at
                                      THEN COALESCE(old_session.phone_number_id, phone_number_id)
                                      ELSE phone_number_id END,
               context_data = COALESCE(context_data, old_session.context_data),
               updated_at = now()
         WHERE id = new_session.id;
        DELETE FROM whatsapp_sessions WHERE id = old_session.id;
        kept_session := new_session.id;
    ELSE
        kept_session := new_session.id;
    END IF;
    UPDATE whatsapp_sessions SET customer_profile_id = survivor, updated_at = now()
     WHERE customer_profile_id = by_user.id AND survivor <> by_user.id;
    IF survivor <> by_user.id THEN
        DELETE FROM customer_profiles WHERE id = by_user.id;
    END IF;
    IF kept_session IS NOT NULL THEN
        INSERT INTO gateway_events (type, phone_number_id, subject, data)
        SELECT 'whatsapp.customer.updated', COALESCE(p_phone_number_id, s.phone_number_id), s.id,
               gateway_event_customer(p, s.id, s.phone_number, COALESCE(p_phone_number_id, s.phone_number_id))
          FROM customer_profiles p, whatsapp_sessions s
         WHERE p.id = survivor AND s.id = kept_session;
    END IF;
    RETURN p_phone;
END
$$;

-- Records a change of BSUID (user_id_update webhook, user_changed_user_id system message) on the customer that
-- holds the previous one (else the one of wa_id, when given). A customer already holding the current BSUID keeps
-- it (the change is then known already). Returns whether a customer changed.
CREATE FUNCTION gateway_customer_user_id_change(p_previous text, p_current text, p_wa_id text) RETURNS boolean
    LANGUAGE plpgsql AS $$
DECLARE
    changed integer;
BEGIN
    IF p_current IS NULL OR p_current = '' THEN
        RETURN false;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('gateway-customer-identity:' || p_current));
    IF EXISTS (SELECT 1 FROM customer_profiles WHERE user_id = p_current) THEN
        RETURN false;
    END IF;
    UPDATE customer_profiles SET user_id = p_current, updated_at = now()
     WHERE id = COALESCE((SELECT id FROM customer_profiles WHERE user_id = p_previous),
                         (SELECT id FROM customer_profiles WHERE wa_id = p_wa_id));
    GET DIAGNOSTICS changed = ROW_COUNT;
    RETURN changed > 0;
END
$$;

-- Edits and revokes (messages of type edit / revoke, issue 14): the original message shows the new content, its
-- earlier versions kept in metadata.edits; a revoked one is marked, its content replaced by a placeholder unless
-- gateway.messages.keep-revoked-content. An edit or revoke that arrives before its original waits here (as early
-- statuses do) and is applied when the original is stored.
ALTER TABLE whatsapp_messages
    ADD COLUMN edited_at  timestamptz,
    ADD COLUMN revoked_at timestamptz;

CREATE TABLE whatsapp_pending_edits (
    edit_id             text        NOT NULL,
    original_message_id text        NOT NULL,
    kind                text        NOT NULL,
    message_type        text,
    content             text,
    payload             jsonb       NOT NULL,
    edited_at           timestamptz NOT NULL,
    phone_number_id     text,
    received_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT whatsapp_pending_edits_pkey PRIMARY KEY (edit_id),
    CONSTRAINT whatsapp_pending_edits_kind_check CHECK (kind IN ('edit', 'revoke'))
);
CREATE INDEX whatsapp_pending_edits_original_idx ON whatsapp_pending_edits (original_message_id);

-- The message event data (V7) with editedAt and revokedAt, as the API shows a message.
CREATE OR REPLACE FUNCTION gateway_event_message(m whatsapp_messages, phone_number text) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT jsonb_build_object(
    'id', m.id,
    'messageId', m.message_id,
    'sessionId', m.session_id,
    'direction', m.direction,
    'messageType', m.message_type,
    'content', m.content,
    'status', m.status,
    'metadata', m.metadata,
    'createdAt', gateway_json_time(m.created_at),
    'editedAt', gateway_json_time(m.edited_at),
    'revokedAt', gateway_json_time(m.revoked_at),
    'phoneNumber', phone_number,
    'phoneNumberId', m.phone_number_id)
$$;

-- Applies one edit or revoke (p_edit_id: its own wamid) to the message p_original, under the original's wamid
-- lock (ConversationWrites.LOCK_WAMID): 'applied' (and whatsapp.message.edited / .revoked appended), 'duplicate'
-- when this edit was applied before, 'pending' when the original is not stored (yet): kept in
-- whatsapp_pending_edits. An edit older than the latest one applied only joins the history; nothing edits a
-- revoked message. p_keep: gateway.messages.keep-revoked-content.
CREATE FUNCTION gateway_apply_edit(p_edit_id text, p_original text, p_kind text, p_message_type text,
                                   p_content text, p_payload jsonb, p_at timestamptz, p_phone_number_id text,
                                   p_keep boolean) RETURNS text
    LANGUAGE plpgsql AS $$
DECLARE
    m whatsapp_messages;
    phone text;
    newest boolean;
BEGIN
    SELECT * INTO m FROM whatsapp_messages WHERE message_id = p_original FOR UPDATE;
    IF m.id IS NULL THEN
        INSERT INTO whatsapp_pending_edits (edit_id, original_message_id, kind, message_type, content, payload,
                                            edited_at, phone_number_id)
        VALUES (p_edit_id, p_original, p_kind, p_message_type, p_content, p_payload, p_at, p_phone_number_id)
        ON CONFLICT (edit_id) DO NOTHING;
        RETURN 'pending';
    END IF;
    IF COALESCE(m.metadata->'edits', '[]'::jsonb) @> jsonb_build_array(jsonb_build_object('id', p_edit_id))
       OR (p_kind = 'revoke' AND m.revoked_at IS NOT NULL) THEN
        DELETE FROM whatsapp_pending_edits WHERE edit_id = p_edit_id;
        RETURN 'duplicate';
    END IF;
    SELECT s.phone_number INTO phone FROM whatsapp_sessions s WHERE s.id = m.session_id;
    IF p_kind = 'revoke' THEN
        UPDATE whatsapp_messages
           SET revoked_at = p_at,
               content = CASE WHEN p_keep THEN content ELSE '[message deleted]' END,
               metadata = CASE WHEN p_keep
                               THEN jsonb_set(COALESCE(metadata, '{}'::jsonb), '{edits}',
                                              COALESCE(metadata->'edits', '[]'::jsonb)
                                              || jsonb_build_array(jsonb_build_object('id', p_edit_id, 'kind', 'revoke',
                                                 'at', gateway_json_time(p_at))))
                               ELSE (COALESCE(metadata, '{}'::jsonb) - 'message') || jsonb_build_object('edits',
                                    jsonb_build_array(jsonb_build_object('id', p_edit_id, 'kind', 'revoke',
                                                      'at', gateway_json_time(p_at))))
                          END
         WHERE id = m.id
        RETURNING * INTO m;
        INSERT INTO gateway_events (type, phone_number_id, subject, data)
        VALUES ('whatsapp.message.revoked', COALESCE(m.phone_number_id, p_phone_number_id), m.session_id,
                gateway_event_message(m, phone));
    ELSE
        IF m.revoked_at IS NOT NULL THEN
            RETURN 'duplicate';
        END IF;
        newest := m.edited_at IS NULL OR m.edited_at <= p_at;
        UPDATE whatsapp_messages
           SET edited_at = CASE WHEN newest THEN p_at ELSE edited_at END,
               content = CASE WHEN newest THEN p_content ELSE content END,
               message_type = CASE WHEN newest THEN COALESCE(p_message_type, message_type) ELSE message_type END,
               metadata = jsonb_set(COALESCE(metadata, '{}'::jsonb), '{edits}',
                                    COALESCE(metadata->'edits', '[]'::jsonb)
                                    || jsonb_build_array(jsonb_build_object('id', p_edit_id, 'kind', 'edit',
                                       'at', gateway_json_time(p_at),
                                       'previousContent', CASE WHEN newest THEN content ELSE p_content END,
                                       'message', p_payload)))
         WHERE id = m.id
        RETURNING * INTO m;
        INSERT INTO gateway_events (type, phone_number_id, subject, data)
        VALUES ('whatsapp.message.edited', COALESCE(m.phone_number_id, p_phone_number_id), m.session_id,
                gateway_event_message(m, phone));
    END IF;
    DELETE FROM whatsapp_pending_edits WHERE edit_id = p_edit_id;
    RETURN 'applied';
END
$$;
