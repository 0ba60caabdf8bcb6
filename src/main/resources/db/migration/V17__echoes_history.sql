-- Coexistence (issue 14): the WhatsApp Business app on the same number. Echoes of what the business sent from the
-- app (smb_message_echoes) and the imported chat history (history) are stored as messages of the customer's session;
-- a history delivery is kept whole first (whatsapp_history_chunks, written before the webhook's 200) and imported
-- right after in bounded batches by a job any replica may run (webhook/HistoryImport). A user_changed_number system
-- message moves the customer to their new phone.

-- One history[] item of a history webhook: a chunk of threads (phase 0/1/2, chunk_order, progress %) or the decline
-- errors (code 2593109 and others). The same item redelivered meets its row at the unique key (its hash), so it is
-- kept once. imported_count is the import's cursor (messages of the chunk done, in payload order); a claim holds
-- claimed_until (a lease) and a replica that died is replaced once it has passed.
CREATE TABLE whatsapp_history_chunks (
    id                   bigint GENERATED ALWAYS AS IDENTITY,
    phone_number_id      text        NOT NULL,
    waba_id              text,
    display_phone_number text,
    phase                integer,
    chunk_order          integer,
    progress             integer,
    chunk_hash           text        NOT NULL,
    payload              jsonb       NOT NULL,
    errors               jsonb,
    message_count        integer     NOT NULL DEFAULT 0,
    imported_count       integer     NOT NULL DEFAULT 0,
    stored_count         integer     NOT NULL DEFAULT 0,
    attempts             integer     NOT NULL DEFAULT 0,
    received_at          timestamptz NOT NULL DEFAULT now(),
    claimed_by           text,
    claimed_until        timestamptz,
    imported_at          timestamptz,
    CONSTRAINT whatsapp_history_chunks_pkey PRIMARY KEY (id),
    CONSTRAINT whatsapp_history_chunks_chunk_key UNIQUE (phone_number_id, chunk_hash)
);
CREATE INDEX whatsapp_history_chunks_pending_idx ON whatsapp_history_chunks (received_at, id)
    WHERE imported_at IS NULL;

-- Stores one message of the business app (an echo: OUTBOUND, from now on) or of the imported history (OUTBOUND or
-- INBOUND, with its original timestamp) in the customer's session, under the wamid's lock (ConversationWrites
-- .LOCK_WAMID), so statuses racing it are kept and applied as for a send. The customer is found as for an inbound
-- message: by the BSUID first (gateway_customer_identity, which links or merges), else by the phone. Only an INBOUND
-- message moves last_inbound_at (the 24-hour window follows the customer's real last message, never an echo);
-- last_message_at only moves forward. A known wamid, a tombstone (deleted message or conversation, erased customer)
-- writes nothing. p_event: the event appended with the message (null = none), preceded by whatsapp.customer.updated
-- when the message created its customer. Returns whether it was stored.
CREATE FUNCTION gateway_store_coexistence_message(p_phone text, p_user_id text, p_parent_user_id text,
                                                  p_username text, p_phone_number_id text, p_at timestamptz,
                                                  p_wamid text, p_direction text, p_content text, p_type text,
                                                  p_metadata jsonb, p_status text, p_status_rank smallint,
                                                  p_created_at timestamptz, p_event text) RETURNS boolean
    LANGUAGE plpgsql AS $$
DECLARE
    key text;
    profile_id uuid;
    created boolean;
    session_id uuid;
    m whatsapp_messages;
    p customer_profiles;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext(p_wamid));
    IF EXISTS (SELECT 1 FROM whatsapp_messages WHERE message_id = p_wamid)
       OR EXISTS (SELECT 1 FROM whatsapp_deleted_messages WHERE message_id = p_wamid) THEN
        RETURN false;
    END IF;
    IF NULLIF(p_user_id, '') IS NOT NULL THEN
        key := gateway_customer_identity(NULLIF(p_phone, ''), p_user_id, NULLIF(p_parent_user_id, ''),
                                         NULLIF(p_username, ''), NULL, p_phone_number_id);
    ELSE
        key := NULLIF(p_phone, '');
    END IF;
    IF key IS NULL OR gateway_erased(key, key, p_at) THEN
        RETURN false;
    END IF;
    INSERT INTO customer_profiles AS cp (wa_id, updated_at, user_id, parent_user_id, username)
    VALUES (key, now(), NULLIF(p_user_id, ''), NULLIF(p_parent_user_id, ''), NULLIF(p_username, ''))
    ON CONFLICT (wa_id) DO UPDATE
        SET updated_at = now(),
            user_id = COALESCE(cp.user_id, EXCLUDED.user_id),
            parent_user_id = COALESCE(EXCLUDED.parent_user_id, cp.parent_user_id),
            username = COALESCE(EXCLUDED.username, cp.username)
        WHERE cp.conversation_deleted_at IS NULL OR cp.conversation_deleted_at < p_at
    RETURNING id, xmax = 0 INTO profile_id, created;
    IF profile_id IS NULL THEN
        RETURN false;
    END IF;
    INSERT INTO whatsapp_sessions AS ws (phone_number, customer_profile_id, phone_number_id, last_message_at,
                                         last_inbound_at, updated_at)
    VALUES (key, profile_id, p_phone_number_id, p_at, CASE WHEN p_direction = 'INBOUND' THEN p_at END, now())
    ON CONFLICT (phone_number) DO UPDATE
        SET customer_profile_id = EXCLUDED.customer_profile_id,
            phone_number_id = CASE WHEN ws.last_message_at IS NULL OR EXCLUDED.last_message_at >= ws.last_message_at
                                   THEN EXCLUDED.phone_number_id ELSE ws.phone_number_id END,
            last_message_at = GREATEST(ws.last_message_at, EXCLUDED.last_message_at),
            last_inbound_at = GREATEST(ws.last_inbound_at, EXCLUDED.last_inbound_at),
            updated_at = now()
    RETURNING id INTO session_id;
    INSERT INTO whatsapp_messages (session_id, message_id, direction, content, message_type, metadata, wa_timestamp,
                                   phone_number_id, status, status_rank, status_at, created_at)
    VALUES (session_id, p_wamid, p_direction::whatsapp_message_direction, p_content, p_type, p_metadata, p_at,
            p_phone_number_id, p_status, COALESCE(p_status_rank, 0), CASE WHEN p_status IS NOT NULL THEN p_at END,
            COALESCE(p_created_at, now()))
    ON CONFLICT (message_id) DO NOTHING
    RETURNING * INTO m;
    IF m.id IS NULL THEN
        RETURN false;
    END IF;
    IF p_event IS NOT NULL THEN
        IF created THEN
            SELECT * INTO p FROM customer_profiles WHERE id = profile_id;
            INSERT INTO gateway_events (type, phone_number_id, subject, data)
            VALUES ('whatsapp.customer.updated', p_phone_number_id, m.session_id,
                    gateway_event_customer(p, m.session_id, key, p_phone_number_id));
        END IF;
        INSERT INTO gateway_events (type, phone_number_id, subject, data)
        VALUES (p_event, p_phone_number_id, m.session_id, gateway_event_message(m, key));
    END IF;
    RETURN true;
END
$$;

-- A user_changed_number system message: the customer of p_old now has the phone p_new (Meta: system.wa_id). The
-- customer and their session take the new phone; when the new phone is a customer (or session) of its own already
-- (they wrote from it first), the two are merged into it: every message kept, nothing doubled. Locks as
-- gateway_customer_identity: the erasure locks of both phones (shared), then the profiles, then the sessions in
-- phone_number order. whatsapp.customer.updated is appended. Returns whether anything changed (false when p_old is
-- not a customer: unknown, or moved before).
CREATE FUNCTION gateway_customer_phone_change(p_old text, p_new text, p_phone_number_id text) RETURNS boolean
    LANGUAGE plpgsql AS $$
DECLARE
    old_profile customer_profiles;
    new_profile customer_profiles;
    survivor uuid;
    old_session whatsapp_sessions;
    new_session whatsapp_sessions;
    kept_session uuid;
BEGIN
    IF NULLIF(p_old, '') IS NULL OR NULLIF(p_new, '') IS NULL OR p_old = p_new THEN
        RETURN false;
    END IF;
    PERFORM pg_advisory_xact_lock_shared(k.key)
    FROM (SELECT DISTINCT gateway_erasure_lock_key(v) AS key FROM unnest(ARRAY[p_old, p_new]) v ORDER BY 1) k;
    PERFORM 1 FROM customer_profiles WHERE wa_id IN (p_old, p_new) ORDER BY wa_id FOR UPDATE;
    SELECT * INTO old_profile FROM customer_profiles WHERE wa_id = p_old;
    IF old_profile.id IS NULL THEN
        RETURN false;
    END IF;
    SELECT * INTO new_profile FROM customer_profiles WHERE wa_id = p_new;
    IF new_profile.id IS NULL THEN
        UPDATE customer_profiles SET wa_id = p_new, updated_at = now() WHERE id = old_profile.id;
        survivor := old_profile.id;
    ELSE
        survivor := new_profile.id;
        UPDATE customer_profiles SET user_id = NULL WHERE id = old_profile.id;
        UPDATE customer_profiles
           SET user_id = COALESCE(user_id, old_profile.user_id),
               parent_user_id = COALESCE(parent_user_id, old_profile.parent_user_id),
               username = COALESCE(username, old_profile.username),
               country_code = COALESCE(country_code, old_profile.country_code),
               display_name = COALESCE(display_name, old_profile.display_name),
               conversation_deleted_at = GREATEST(conversation_deleted_at, old_profile.conversation_deleted_at),
               created_at = LEAST(created_at, old_profile.created_at),
               updated_at = now()
         WHERE id = new_profile.id;
    END IF;
    PERFORM 1 FROM whatsapp_sessions WHERE phone_number IN (p_old, p_new) ORDER BY phone_number FOR UPDATE;
    SELECT * INTO old_session FROM whatsapp_sessions WHERE phone_number = p_old;
    SELECT * INTO new_session FROM whatsapp_sessions WHERE phone_number = p_new;
    IF old_session.id IS NOT NULL AND new_session.id IS NULL THEN
        UPDATE whatsapp_sessions SET phone_number = p_new, customer_profile_id = survivor, updated_at = now()
         WHERE id = old_session.id;
        kept_session := old_session.id;
    ELSIF old_session.id IS NOT NULL THEN
        UPDATE whatsapp_messages SET session_id = new_session.id WHERE session_id = old_session.id;
        UPDATE whatsapp_sessions
           SET customer_profile_id = survivor,
               last_message_at = GREATEST(last_message_at, old_session.last_message_at),
               last_inbound_at = GREATEST(last_inbound_at, old_session.last_inbound_at),
               context_data = COALESCE(context_data, old_session.context_data),
               created_at = LEAST(created_at, old_session.created_at),
               updated_at = now()
         WHERE id = new_session.id;
        DELETE FROM whatsapp_sessions WHERE id = old_session.id;
        kept_session := new_session.id;
    ELSE
        kept_session := new_session.id;
    END IF;
    UPDATE whatsapp_sessions SET customer_profile_id = survivor, updated_at = now()
     WHERE customer_profile_id = old_profile.id AND survivor <> old_profile.id;
    IF survivor <> old_profile.id THEN
        DELETE FROM customer_profiles WHERE id = old_profile.id;
    END IF;
    IF kept_session IS NOT NULL THEN
        INSERT INTO gateway_events (type, phone_number_id, subject, data)
        SELECT 'whatsapp.customer.updated', COALESCE(p_phone_number_id, s.phone_number_id), s.id,
               gateway_event_customer(p, s.id, s.phone_number, COALESCE(p_phone_number_id, s.phone_number_id))
          FROM customer_profiles p, whatsapp_sessions s
         WHERE p.id = survivor AND s.id = kept_session;
    END IF;
    RETURN true;
END
$$;
